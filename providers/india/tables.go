package india

// The seed's only codes are its examples: operator_code 1 and circle 23
// (seed L32, L35). The provider's real operator and circle tables are not
// public, so the configuration must list them (Config.Operators,
// Config.Circles); there is no built-in table to sell with by mistake.
const (
	seedOperator Code = "1"
	seedCircle   Code = "23"
)
