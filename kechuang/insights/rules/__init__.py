"""Pure rules of the insights module (no Django): the radar's signals and anomalies, the innovation score's
bands, and the ladder forecast. Inputs are plain data the selectors load; outputs explain themselves in Chinese."""
