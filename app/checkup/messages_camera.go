package checkup

import "maps"

// cameraMessages are the camera check's sentences (see messages).
var cameraMessages = map[string]map[string]string{
	English: {
		"camera.onvif.open":     "It tells anyone on your network what it is over ONVIF, without a password: whoever can ask for its details may also be able to reach its video.",
		"camera.onvif.refused":  "It asks for a password before it answers ONVIF requests.",
		"camera.onvif.plain":    "Its ONVIF service, which apps use to control it and watch its video, is plain HTTP: what travels there is not encrypted.",
		"fix.camera.onvif":      "Turn on user authentication for ONVIF in the camera's own settings, with a password of its own.",
		"evidence.camera.xaddr": "It announced its ONVIF service at %[1]s",
	},
	German: {
		"camera.onvif.open":     "Sie verrät jedem in Ihrem Netz über ONVIF ohne Passwort, was sie ist: Wer ihre Daten abfragen kann, kommt womöglich auch an ihr Video.",
		"camera.onvif.refused":  "Sie verlangt ein Passwort, bevor sie ONVIF-Anfragen beantwortet.",
		"camera.onvif.plain":    "Ihr ONVIF-Dienst, über den Apps sie steuern und ihr Video abrufen, läuft über unverschlüsseltes HTTP: Was dort übertragen wird, ist nicht verschlüsselt.",
		"fix.camera.onvif":      "Schalten Sie in den Einstellungen der Kamera die Benutzeranmeldung für ONVIF ein, mit einem eigenen Passwort.",
		"evidence.camera.xaddr": "Sie hat ihren ONVIF-Dienst unter %[1]s angekündigt",
	},
}

func init() {
	for lang, m := range cameraMessages {
		maps.Copy(messages[lang], m)
	}
}
