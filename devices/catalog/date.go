package catalog

import "time"

// dateLayout is the only date format the catalog accepts.
const dateLayout = "2006-01-02"

// Date is a calendar date written YYYY-MM-DD.
type Date string

// Time returns the date at midnight UTC, and false when the date is empty
// or not a valid YYYY-MM-DD date.
func (d Date) Time() (time.Time, bool) {
	if d == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, string(d))
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
