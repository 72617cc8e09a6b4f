package checkup

import "time"

// Newest is the newest firmware version a maker's own release feed named,
// asked by Porchlight only when the person allowed it. The checkup uses it
// in place of the catalog's version unless it is older than that.
type Newest struct {
	// Version is the release's version as the maker tags it.
	Version string `json:"version"`
	// Source is the release's page on the maker's own site.
	Source string `json:"source"`
	// Asked is when Porchlight asked the maker.
	Asked time.Time `json:"asked"`
}

// IsRelease reports whether s is a version the checkup can compare and
// not a pre-release (a beta, a release candidate, a development build).
func IsRelease(s string) bool {
	v, ok := parseVersion(s)
	return ok && v.pre == nil
}
