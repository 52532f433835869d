/// What `lessons new NAME` writes: a small worked example (one neuron, one step of gradient
/// descent, a short training run) that runs as written and uses every construct once.
///
///     Starter.script(named: "my-neuron")   // the text of my-neuron.lesson.md
public enum Starter {
    public static func script(named name: String) -> String {
        """
        ---
        # Front matter: the name `lessons run` takes and the line `lessons list` prints.
        name: \(name)
        title: One neuron: forward pass, backward pass, one step of gradient descent
        source: Write where the example comes from (notes, slide, page)
        ---

        # One neuron, worked by hand

        A neuron with two inputs and a sigmoid, trained on one example. Every number \
        below is computed; change a parameter with --set and the page follows.

        ```parameters
        # name = default  in low...high (or: integer low...high, or: one of a, b)  "meaning"  [as symbol]
        x1 = 0.5 in -10...10 "first input"
        x2 = -1 in -10...10 "second input"
        w1 = 0.8 in -10...10 "weight of x1"
        w2 = 0.2 in -10...10 "weight of x2"
        b = 0.1 in -10...10 "bias"
        t = 1 in 0...1 "target output"
        alpha = 0.5 in 0...10 "learning rate" as α
        steps = 100 integer 1...100000 "steps of the training run"
        digits = 6 integer 3...15 "significant digits printed"
        ```

        ```variants
        # --variant N draws these on a grid; a draw is kept only when the condition holds.
        x1, x2 in -2...2 step 0.5
        w1, w2 in -1...1 step 0.1
        sound when 0.1 <= out <= 0.9 and x1 != 0 and x2 != 0
        ```

        ## The forward pass

        Each line of a compute block is recorded on the tape and shown \
        as a step: its formula, the formula with numbers, the result.

        ```compute
        net = w1·x1 + w2·x2 + b   "The weighted sum"
        out = σ(net)              "The activation"
        E = ½·(t − out)²          "The squared error"
        graph E
        ```

        The neuron says {out} where the target is {t}: it is {out < t ? "too low" : "too high or exact"}.

        ## The backward pass {exercise}

        ```compute
        ∂E/∂out
        ∂out/∂net
        ∂E/∂w1 = ∂E/∂out · ∂out/∂net · ∂net/∂w1   "The chain rule for w1"   marks 2
        ∂E/∂w2
        graph E backward highlight E, out, net, w1
        ```

        > **Note: Why σ′ = σ(1 − σ)**
        > The sigmoid's slope is written through its own output, so the backward pass needs no new exponential.

        ## One step of gradient descent

        ```compute
        w1+ = w1 − α·∂E/∂w1
        w2+ = w2 − α·∂E/∂w2
        let net2 = w1+·x1 + w2+·x2 + b
        out2 = σ(net2)   "The output after the step"
        E2 = ½·(t − out2)²   "The error after the step"
        table net, out, E, out2, E2
        ```

        One step {change("the error", E, E2)}.

        ## Training

        ```compute
        train w1, w2 on E for steps steps rate alpha
        plot σ(z) for z in -6...6   "The sigmoid"
        parameters
        ```

        After {steps} steps the error is {E_after_training}.

        """
    }
}
