// Adam's per-step constants, shared by the Backend contract and the adamUpdate op. A leaf file of
// its own, so the op, the kernels and the contract import it without importing each other.

/** The step's constants: stepSize already holds the bias corrections (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)). */
export interface AdamCoefficients {
  stepSize: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
