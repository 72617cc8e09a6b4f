package sim

import (
	"net/http"
	"strings"
)

// HomeKit accessory (HAP over IP). HAP frames requests as HTTP/1.1 but every
// resource except pairing needs a pair-verified (encrypted) session. The
// answers to a session that is not verified follow apple/HomeKitADK
// HAP/HAPIPAccessoryServer.c handle_http_request:
//   - GET /accessories, GET|PUT /characteristics…, PUT /prepare, POST
//     /resource: 470 Connection Authorization Required, Content-Type
//     application/hap+json, body {"status":-70411} (insufficient
//     authorization; kHAPIPAccessoryServerResponse_ConnectionAuthorizationRequiredWithStatus).
//   - other methods on those, /pairings, /secure-message, /config and
//     unknown paths: 470 with an empty body.
//   - POST /identify: 204 while unpaired, else 400 with {"status":-70401}.
//   - POST /configured: 204; wrong methods on /identify, /pair-setup,
//     /pair-verify, /configured: 405.
//
// Pair Setup and Pair Verify (SRP and Curve25519 over TLV8) are not
// simulated: POSTs to them answer 400, as the ADK does for a body it cannot
// use. net/http writes the status line of 470 without a reason phrase.

func init() { familyHandlers[HomeKit] = newHomeKitAPI }

// homeKitConnectionAuthorizationRequired is HAP's status for an unverified
// session (not in net/http's table).
const homeKitConnectionAuthorizationRequired = 470

func newHomeKitAPI(d *Device) http.Handler {
	return apiBounded(func(w http.ResponseWriter, r *http.Request) {
		// Drain the body like the accessory does before it answers.
		if _, err := apiReadBody(r); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		post, get, put := r.Method == http.MethodPost, r.Method == http.MethodGet, r.Method == http.MethodPut
		switch path := r.URL.Path; {
		case path == "/identify":
			switch {
			case !post:
				w.WriteHeader(http.StatusMethodNotAllowed)
			case homeKitPaired(d):
				apiBody(w, http.StatusBadRequest, "application/hap+json", `{"status":-70401}`)
			default:
				w.WriteHeader(http.StatusNoContent)
			}
		case path == "/pair-setup", path == "/pair-verify":
			if !post {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			w.WriteHeader(http.StatusBadRequest)
		case path == "/configured":
			if !post {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		case path == "/accessories" && get,
			strings.HasPrefix(path, "/characteristics") && (get || put),
			path == "/prepare" && put,
			path == "/resource" && post:
			apiBody(w, homeKitConnectionAuthorizationRequired, "application/hap+json", `{"status":-70411}`)
		default:
			w.WriteHeader(homeKitConnectionAuthorizationRequired)
		}
	})
}

// homeKitPaired reports whether the accessory announces itself as paired:
// status flag bit 0 (sf) is "not paired" (HomeKitADK HAPIPServiceDiscovery.c).
func homeKitPaired(d *Device) bool {
	sf := d.apiTXT("sf")
	return sf != "" && sf[len(sf)-1]&1 == 0
}
