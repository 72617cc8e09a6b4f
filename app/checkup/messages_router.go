package checkup

import "maps"

// routerMessages are the router check's sentences (see messages).
var routerMessages = map[string]map[string]string{
	English: {
		"router.upnp.mappings":           "UPnP is on, and devices used it to open %[1]s ports to the internet: %[2]s. Anyone on the internet can reach them there.",
		"router.upnp.nomappings":         "UPnP is on: any device on your network can open ports to the internet without asking. None is open now.",
		"router.upnp.unknown":            "It announces UPnP, but did not say which ports are open.",
		"router.natpmp":                  "It also answers NAT-PMP: any device on your network can open ports to the internet that way too.",
		"evidence.router.natpmp":         "Asked over NAT-PMP, it reports the internet address %[1]s.",
		"router.pcp":                     "It also speaks PCP (Port Control Protocol), through which devices on your network can ask it to open ports to the internet.",
		"evidence.router.pcp":            "Asked over PCP (an ANNOUNCE request, which changes nothing), it answers as a PCP server: result %[1]s (%[2]s), epoch %[3]s s.",
		"evidence.router.pcp.natpmponly": "Asked over PCP (an ANNOUNCE request), it answers that it speaks only NAT-PMP: result %[1]s (%[2]s).",
		"next.router.mappings":           "Close the ports that devices opened to the internet on %[1]s.",
		"next.router.opened":             "Close the port %[1]s opened to the internet on your router.",
		"router.incomplete":              "Not every port it opened could be read.",
		"router.mapping":                 "%[1]s opened port %[2]s (%[3]s, to its port %[4]s)",
		"router.unknown.device":          "a device at %[1]s that the scan did not find",
		"router.opened":                  "It opened port %[1]s (%[2]s) on %[3]s to the internet, through UPnP: anyone on the internet can reach it there.",
		"router.admin.plain":             "Its own page is offered over plain HTTP: the router's password crosses your network unencrypted.",
		"fix.router.https":               "If your router offers its page over HTTPS, use that address; sign in to it only from your own network.",
		"evidence.router.admin":          "Its UPnP description names its page: %[1]s",
		"router.steps.source":            "These steps are the maker's: %[1]s",
		"router.steps.general.1":         "Open your router's own page (its address is on the router's label) and sign in.",
		"router.steps.general.2":         "Find the port forwarding list (often under Advanced, NAT or Port forwarding) and delete the entries you do not need.",
		"router.steps.general.3":         "Turn off UPnP there, or allow it only for the devices that need it.",
		"evidence.router.external":       "It reports the internet address %[1]s.",
		"evidence.router.route":          "This computer's default route points at it.",
		"evidence.router.mapping":        "%[1]s holds a port mapping: port %[2]s (%[3]s) to %[4]s:%[5]s, described as “%[6]s”.",
	},
	German: {
		"router.upnp.mappings":           "UPnP ist an, und Geräte haben darüber %[1]s Ports zum Internet geöffnet: %[2]s. Jeder im Internet kann sie dort erreichen.",
		"router.upnp.nomappings":         "UPnP ist an: Jedes Gerät in Ihrem Netz kann ungefragt Ports zum Internet öffnen. Im Moment ist keiner offen.",
		"router.upnp.unknown":            "Er kündigt UPnP an, hat aber nicht gesagt, welche Ports offen sind.",
		"router.natpmp":                  "Er beantwortet auch NAT-PMP: Jedes Gerät in Ihrem Netz kann auch so Ports zum Internet öffnen.",
		"evidence.router.natpmp":         "Über NAT-PMP gefragt, meldet er die Internetadresse %[1]s.",
		"router.pcp":                     "Er spricht auch PCP (Port Control Protocol): Darüber können Geräte in Ihrem Netz ihn bitten, Ports zum Internet zu öffnen.",
		"evidence.router.pcp":            "Über PCP gefragt (eine ANNOUNCE-Anfrage, die nichts ändert), antwortet er als PCP-Server: Ergebnis %[1]s (%[2]s), Epoche %[3]s s.",
		"evidence.router.pcp.natpmponly": "Über PCP gefragt (eine ANNOUNCE-Anfrage), antwortet er, dass er nur NAT-PMP spricht: Ergebnis %[1]s (%[2]s).",
		"next.router.mappings":           "Schließen Sie die Ports, die Geräte über %[1]s zum Internet geöffnet haben.",
		"next.router.opened":             "Schließen Sie den Port, den %[1]s über Ihren Router zum Internet geöffnet hat.",
		"router.incomplete":              "Nicht alle Ports, die er geöffnet hat, ließen sich lesen.",
		"router.mapping":                 "%[1]s hat Port %[2]s geöffnet (%[3]s, zu seinem Port %[4]s)",
		"router.unknown.device":          "ein Gerät unter %[1]s, das die Suche nicht gefunden hat",
		"router.opened":                  "Es hat über UPnP Port %[1]s (%[2]s) auf %[3]s zum Internet geöffnet: Jeder im Internet kann es dort erreichen.",
		"router.admin.plain":             "Seine eigene Seite wird über unverschlüsseltes HTTP angeboten: Das Passwort des Routers geht unverschlüsselt durch Ihr Netz.",
		"fix.router.https":               "Wenn Ihr Router seine Seite über HTTPS anbietet, nutzen Sie diese Adresse; melden Sie sich nur aus Ihrem eigenen Netz an.",
		"evidence.router.admin":          "Seine UPnP-Beschreibung nennt seine Seite: %[1]s",
		"router.steps.source":            "Diese Schritte sind die des Herstellers: %[1]s",
		"router.steps.general.1":         "Öffnen Sie die Seite Ihres Routers (die Adresse steht auf seinem Etikett) und melden Sie sich an.",
		"router.steps.general.2":         "Suchen Sie die Liste der Portfreigaben (oft unter Erweitert, NAT oder Portweiterleitung) und löschen Sie die Einträge, die Sie nicht brauchen.",
		"router.steps.general.3":         "Schalten Sie dort UPnP aus, oder erlauben Sie es nur den Geräten, die es brauchen.",
		"evidence.router.external":       "Er meldet die Internetadresse %[1]s.",
		"evidence.router.route":          "Die Standardroute dieses Computers zeigt auf ihn.",
		"evidence.router.mapping":        "%[1]s hat eine Portfreigabe: Port %[2]s (%[3]s) zu %[4]s:%[5]s, beschrieben als „%[6]s“.",
	},
}

func init() {
	for lang, m := range routerMessages {
		maps.Copy(messages[lang], m)
	}
}
