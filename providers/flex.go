package providers

import (
	"fmt"
	"strconv"
	"strings"
)

// FlexInt is a whole number in a provider's JSON answer, written as a
// number, a numeric string, or a Java double with ".0" (Bitaqaty's
// 5000.0); empty and null are zero. Anything else is an error quoting at
// most 40 bytes of it.
type FlexInt int

// UnmarshalJSON reads 1, "1", -1, "-1", 5000.0 and null.
func (n *FlexInt) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(strings.Trim(strings.TrimSpace(string(data)), `"`))
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(strings.TrimSuffix(s, ".0"))
	if err != nil {
		return fmt.Errorf("not a whole number: %.40s", data)
	}
	*n = FlexInt(v)
	return nil
}
