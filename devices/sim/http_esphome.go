package sim

import "net/http"

// ESPHome web_server component (port 80). Its default (version 2) index page
// is a tiny document that loads one script which renders the UI (source:
// esphome/esphome-webserver README, "index page fetches one js file";
// esphome-docs web_server: js_url defaults to the hosted www.js). Entity
// state arrives over /events as server-sent events: streaming is not
// simulated, so /events answers 404 like any path the device does not serve.
// The native API on 6053 is not HTTP and is not served here.

func init() { familyHandlers[ESPHome] = newESPHomeAPI }

// esphomeIndex is the version 2 index page.
const esphomeIndex = `<!DOCTYPE html><html><head><meta charset=UTF-8><link rel=icon href=data:></head>` +
	`<body><esp-app></esp-app><script src="https://oi.esphome.io/v2/www.js"></script></body></html>`

func newESPHomeAPI(*Device) http.Handler {
	return apiBounded(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			apiBody(w, http.StatusOK, "text/html", esphomeIndex)
			return
		}
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
	})
}
