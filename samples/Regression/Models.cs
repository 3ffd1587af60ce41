using NetGen;

namespace Samples.Regression;

/// <summary>The course's housing network for the 10 diabetes features: Normalization, 64 ReLU, 32 ReLU, one linear output.</summary>
[Sequential(inputShape: [10], Loss = Loss.MeanSquaredError)]
[Normalization]
[Dense(64, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(1)]
public partial class DiabetesRegressor;

/// <summary>The same network for the 13 Boston housing features, as in the course.</summary>
[Sequential(inputShape: [13], Loss = Loss.MeanSquaredError)]
[Normalization]
[Dense(64, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(1)]
public partial class HousingRegressor;
