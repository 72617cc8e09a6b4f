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
		"camera.rtsp.open":      "Its video can be watched by anyone on your network without a password: it describes its video stream (RTSP) to anyone who asks.",
		"camera.rtsp.refused":   "It asks for a password before it describes its video stream (RTSP).",
		"fix.camera.rtsp":       "Turn on authentication for RTSP (video streaming) in the camera's own settings, with a password of its own; if it cannot, keep it on a network of its own (a guest network).",
	},
	German: {
		"camera.onvif.open":     "Sie verrät jedem in Ihrem Netz über ONVIF ohne Passwort, was sie ist: Wer ihre Daten abfragen kann, kommt womöglich auch an ihr Video.",
		"camera.onvif.refused":  "Sie verlangt ein Passwort, bevor sie ONVIF-Anfragen beantwortet.",
		"camera.onvif.plain":    "Ihr ONVIF-Dienst, über den Apps sie steuern und ihr Video abrufen, läuft über unverschlüsseltes HTTP: Was dort übertragen wird, ist nicht verschlüsselt.",
		"fix.camera.onvif":      "Schalten Sie in den Einstellungen der Kamera die Benutzeranmeldung für ONVIF ein, mit einem eigenen Passwort.",
		"evidence.camera.xaddr": "Sie hat ihren ONVIF-Dienst unter %[1]s angekündigt",
		"camera.rtsp.open":      "Ihr Video kann jeder in Ihrem Netz ohne Passwort ansehen: Sie beschreibt ihren Videostream (RTSP) jedem, der fragt.",
		"camera.rtsp.refused":   "Sie verlangt ein Passwort, bevor sie ihren Videostream (RTSP) beschreibt.",
		"fix.camera.rtsp":       "Schalten Sie in den Einstellungen der Kamera die Anmeldung für RTSP (Videostream) ein, mit einem eigenen Passwort; geht das nicht, geben Sie ihr ein eigenes Netz (ein Gastnetz).",
	},
}

func init() {
	for lang, m := range cameraMessages {
		maps.Copy(messages[lang], m)
	}
}
