package app

import (
	"context"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/releases"
	"github.com/porchlight/porchlight/devices/catalog"
)

// AskMakers sets where the checkup asks the makers' own release feeds for
// their newest versions (releases.GitHub for the real ones), cached in the
// data directory; nil stops asking, and the catalog's versions stand. It
// is the only traffic Porchlight sends beyond the home network, so only
// the person's choice turns it on.
func (c *Core) AskMakers(src releases.Source) {
	if src == nil {
		c.makers.Store(nil)
		return
	}
	c.makers.Store(&releases.Feed{Source: src, Dir: c.env.Dir})
}

// AsksMakers reports whether the checkup asks the makers' release feeds.
func (c *Core) AsksMakers() bool { return c.makers.Load() != nil }

// newest asks the makers, when allowed, and returns what they said by family.
func (c *Core) newest(ctx context.Context) func(family string) *checkup.Newest {
	feed := c.makers.Load()
	if feed == nil {
		return nil
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil
	}
	got := feed.Newest(ctx, cat.Families())
	return func(family string) *checkup.Newest {
		r, ok := got[family]
		if !ok {
			return nil
		}
		return &checkup.Newest{Version: r.Version, Source: r.Page, Asked: r.Asked}
	}
}
