/// The names a tape gives the few nodes a report shows, kept apart from the nodes so that
/// recording an unnamed one costs an append and nothing here. The scalar and the tensor tape
/// each keep one, and read it through the same questions; it is read in id order only, never in
/// the dictionary's own order, so every output is the same on every run.
///
///     var labels = LabelTable(); labels[3] = "E_total"; labels[9] = "E_total"
///     labels.lastNode(labeled: "E_total")   // 9: a label given again in a loop names its latest node
struct LabelTable: Sendable {
    private var names: [Int: String] = [:]

    /// The label of node `id`, or nil; setting nil removes it.
    subscript(id: Int) -> String? {
        get { names[id] }
        set { names[id] = newValue }
    }

    /// The last node carrying `label`, if any.
    func lastNode(labeled label: String) -> Int? {
        names.filter { $0.value == label }.keys.max()
    }

    /// Every labeled node in creation order.
    var inCreationOrder: [(label: String, id: Int)] {
        names.sorted { $0.key < $1.key }.map { (label: $0.value, id: $0.key) }
    }

    /// The first labeled node after `id` that reads it, directly or through unnamed nodes, among
    /// the first `count` nodes, whose inputs `inputs` gives: how to name an unnamed node
    /// ("inside E_total"). Nil if nothing labeled uses it.
    func firstLabeledConsumer(of id: Int, among count: Int, inputs: (Int) -> [Int]) -> Int? {
        var reached: Set<Int> = [id]
        for k in (id + 1)..<max(id + 1, count) where inputs(k).contains(where: reached.contains) {
            if names[k] != nil { return k }
            reached.insert(k)
        }
        return nil
    }

    /// Forgets every name but keeps the storage, so an iteration loop allocates nothing.
    mutating func removeAll() {
        if !names.isEmpty { names.removeAll(keepingCapacity: true) }
    }
}
