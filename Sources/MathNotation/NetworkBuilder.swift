import Engine
import ReportModel

extension Notation {
    /// The dense network a tape computes, read off the record: each unit is an activation (σ,
    /// tanh, ReLU, softplus) of a weighted sum Σ w·x + b, its sources the inputs or earlier units,
    /// one layer after its deepest source. In a product of two leaves the weight is the one
    /// fewer units read (an input feeds every unit of its layer), and on a tie the first, as the
    /// notes write w·x. nil when no unit leads to `output`.
    ///
    ///     n.network(of: E_total)   // i1, i2 → h1, h2 → o1, o2, each arrow its weight and value
    public func network(of output: Value) -> NetworkDiagram? {
        let tape = self.tape
        let activations: Set<Primitive> = [.sigmoid, .tanh, .relu, .softplus]
        // Every node that leads to the output.
        var reaches = Set([output.id])
        var frontier = [output.id]
        while let id = frontier.popLast() {
            for input in tape.inputs(of: id) where reaches.insert(input).inserted { frontier.append(input) }
        }
        struct Term {
            var weight: Int?
            var source: Int
        }
        var units: [(id: Int, terms: [Term], bias: [Int])] = []
        func isLeaf(_ id: Int) -> Bool { tape.primitive(of: id) == .input }
        /// The terms of a sum: through additions, to products and lone leaves.
        func terms(_ id: Int) -> [Int] {
            tape.primitive(of: id) == .add ? tape.inputs(of: id).flatMap(terms) : [id]
        }
        for id in reaches.sorted() where activations.contains(tape.primitive(of: id)) && tape.label(of: id) != nil {
            guard let sum = tape.inputs(of: id).first else { continue }
            var found: [Term] = []
            var bias: [Int] = []
            for part in terms(sum) {
                let inputs = tape.inputs(of: part)
                if tape.primitive(of: part) == .multiply, inputs.count == 2 {
                    found.append(Term(weight: inputs[0], source: inputs[1]))
                } else if isLeaf(part) {
                    bias.append(part)
                } else {
                    found = []
                    break
                }
            }
            if !found.isEmpty { units.append((id, found, bias)) }
        }
        guard !units.isEmpty else { return nil }
        let unitIDs = Set(units.map(\.id))
        // How many units read each leaf: an input is read by every unit of its layer.
        var readers: [Int: Int] = [:]
        for unit in units {
            for term in unit.terms {
                readers[term.weight!, default: 0] += 1
                readers[term.source, default: 0] += 1
            }
        }
        for k in units.indices {
            for t in units[k].terms.indices {
                let (a, b) = (units[k].terms[t].weight!, units[k].terms[t].source)
                // A unit's output is always the source; of two leaves, the one more units read.
                let swap =
                    unitIDs.contains(a)
                    || (isLeaf(a) && isLeaf(b) && !unitIDs.contains(b)
                        && readers[a, default: 0] > readers[b, default: 0])
                if swap { units[k].terms[t] = Term(weight: b, source: a) }
                guard let weight = units[k].terms[t].weight,
                    isLeaf(weight) || unitIDs.contains(units[k].terms[t].source)
                else { return nil }
            }
        }
        // Layers: inputs at 0, a unit one after its deepest source.
        var layer: [Int: Int] = [:]
        for unit in units {
            layer[unit.id] = 1 + unit.terms.map { layer[$0.source] ?? 0 }.max()!
        }
        let depth = layer.values.max()!
        var inputs: [Int] = []
        for unit in units {
            for term in unit.terms where !unitIDs.contains(term.source) && !inputs.contains(term.source) {
                inputs.append(term.source)
            }
        }
        var columns: [[Int]] = [inputs] + (1...depth).map { d in units.map(\.id).filter { layer[$0] == d } }
        let consumed = Set(units.flatMap { $0.terms.map(\.source) })
        let short = NumberFormat(significantDigits: min(format.significantDigits, 4))
        func label(_ id: Int) -> RichText {
            // A unit named by its sum and its output (net_h1, out_h1) is the part they share: h1.
            if unitIDs.contains(id), let output = tape.label(of: id),
                let sum = tape.inputs(of: id).first.flatMap(tape.label(of:)),
                let a = output.split(separator: "_", maxSplits: 1).last,
                let b = sum.split(separator: "_", maxSplits: 1).last,
                output.contains("_"), sum.contains("_"), a == b
            {
                return name(String(a))
            }
            return tape.label(of: id).map { name($0) } ?? short.rich(tape.value(of: id))
        }
        var layers: [[NetworkDiagram.Neuron]] = columns.enumerated().map { d, ids in
            ids.map { id in
                d == 0
                    ? .init(label(id), detail: short.rich(tape.value(of: id)), kind: .input)
                    : .init(
                        label(id), detail: short.rich(tape.value(of: id)),
                        kind: consumed.contains(id) ? .hidden : .output)
            }
        }
        var connections: [NetworkDiagram.Connection] = []
        func place(_ id: Int) -> (Int, Int) {
            let d = unitIDs.contains(id) ? layer[id]! : 0
            return (d, columns[d].firstIndex(of: id)!)
        }
        for unit in units {
            for term in unit.terms {
                let weight = term.weight!
                let text =
                    tape.label(of: weight).map { name($0) + " = " + short.rich(tape.value(of: weight)) }
                    ?? short.rich(tape.value(of: weight))
                connections.append(.init(from: place(term.source), to: place(unit.id), label: text))
            }
        }
        // One bias node per layer that has biases, drawn below the layer it feeds from.
        for d in 1...depth {
            let fed = units.filter { layer[$0.id] == d && !$0.bias.isEmpty }
            guard let first = fed.first?.bias.first else { continue }
            let names = Set(fed.flatMap(\.bias))
            let title: RichText = names.count == 1 ? label(first) : "b"
            layers[d - 1].append(
                .init(title, detail: names.count == 1 ? short.rich(tape.value(of: first)) : nil, kind: .bias))
            columns[d - 1].append(-1)
            for unit in fed {
                connections.append(.init(from: (d - 1, layers[d - 1].count - 1), to: place(unit.id), label: RichText()))
            }
        }
        return NetworkDiagram(layers: layers, connections: connections)
    }
}
