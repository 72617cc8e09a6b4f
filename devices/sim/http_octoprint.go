package sim

import (
	"html"
	"net/http"
	"strings"
)

// OctoPrint web server (port 80 behind OctoPi's proxy).
//   - Since 1.5 access control is always on; the UI sends a visitor who is
//     not logged in to the login page (OctoPrint 1.5.0 release notes;
//     OctoPrint #4516). The redirect target's query string and the login
//     page's markup (title "OctoPrint Login") are (unverified).
//   - /api/version and /api/server are guarded by
//     Permissions.STATUS.require(403) (octoprint/server/api/__init__.py); the
//     guest has no permissions, so without a valid X-Api-Key the answer is
//     403. API errors are JSON {"error": "<description>"}, the description
//     being Werkzeug's Forbidden text (as OctoPrint 1.11 answers for plugin
//     APIs, OctoPrint-Filament-Reloaded #24).
// No API key is known to the simulator yet, so every key is refused.

func init() { familyHandlers[OctoPrint] = newOctoPrintAPI }

// octoPrintForbidden is Werkzeug's description of 403 Forbidden.
const octoPrintForbidden = "You don't have the permission to access the requested resource. " +
	"It is either read-protected or not readable by the server."

// octoPrintNotFound is Werkzeug's description of 404 Not Found.
const octoPrintNotFound = "The requested URL was not found on the server. " +
	"If you entered the URL manually please check your spelling and try again."

func newOctoPrintAPI(d *Device) http.Handler {
	return apiBounded(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Location", "/login/?redirect=%2F&permissions=STATUS%2CSETTINGS_READ")
			apiBody(w, http.StatusFound, "text/html", "")
		case "/login", "/login/":
			name := html.EscapeString(d.Name)
			apiBody(w, http.StatusOK, "text/html", `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`+
				`<title>OctoPrint Login</title></head><body><div class="container"><form class="form-signin" method="post">`+
				`<h2 class="form-signin-heading">Please log in</h2><p>`+name+`</p>`+
				`<input type="text" id="login-user" placeholder="Username" autofocus>`+
				`<input type="password" id="login-password" placeholder="Password">`+
				`<button class="btn btn-large btn-primary btn-block" id="login-button" type="submit">Log in</button>`+
				`</form><p>OctoPrint `+html.EscapeString(d.Firmware)+`</p></div></body></html>`)
		case "/api/version", "/api/server":
			apiJSON(w, http.StatusForbidden, map[string]string{"error": octoPrintForbidden})
		default:
			if strings.HasPrefix(r.URL.Path, "/api/") {
				apiJSON(w, http.StatusNotFound, map[string]string{"error": octoPrintNotFound})
				return
			}
			apiBody(w, http.StatusNotFound, "text/html; charset=utf-8",
				"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>"+octoPrintNotFound+"</p>\n")
		}
	})
}
