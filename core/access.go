package core

import (
	"sync"
	"time"

	"github.com/kontor-dev/kontor"
)

// Access checks are remembered for accessCacheTTL, for at most
// accessCacheSize token families.
//
// Every finoOS request but authentication checks that its access token's
// session (token family) is not revoked and reads the token's client: a
// database query that was a tenth of the server's CPU under load. A
// replica trusts its last answer for a few seconds instead. A session it
// revokes itself (a refresh token used twice) is forgotten at once; one
// another replica revokes stops working here within accessCacheTTL.
const (
	accessCacheTTL  = 5 * time.Second
	accessCacheSize = 16384
)

// accessCache maps a token family to its client while the family was
// last seen live.
type accessCache struct {
	mu      sync.Mutex
	entries map[string]accessEntry
}

type accessEntry struct {
	client kontor.Client
	until  time.Time
	// revoked marks a family this replica revoked: until the entry
	// expires, an answer read before the revocation cannot bring it back.
	revoked bool
}

// get returns a copy of the client of family, if the family was seen live
// within the TTL and belongs to clientID.
func (c *accessCache) get(clientID, family string, now time.Time) (*kontor.Client, bool) {
	c.mu.Lock()
	e, ok := c.entries[family]
	c.mu.Unlock()
	if !ok || e.revoked || !now.Before(e.until) || e.client.ID != clientID {
		return nil, false
	}
	client := e.client
	return &client, true
}

// put records family as live with client as of now. When full, expired
// entries go, and all of them if none has expired.
func (c *accessCache) put(family string, client *kontor.Client, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]accessEntry{}
	}
	e, ok := c.entries[family]
	if ok && e.revoked && now.Before(e.until) {
		return
	}
	if !ok && len(c.entries) >= accessCacheSize {
		for k, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= accessCacheSize {
			clear(c.entries)
		}
	}
	c.entries[family] = accessEntry{client: *client, until: now.Add(accessCacheTTL)}
}

// forget marks family revoked by this replica as of now.
func (c *accessCache) forget(family string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]accessEntry{}
	}
	c.entries[family] = accessEntry{until: now.Add(accessCacheTTL), revoked: true}
}
