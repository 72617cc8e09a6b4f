package cli

import (
	"strings"

	"github.com/porchlight/porchlight/app/wipe"
)

// wipeWords say the codes a wipe returns in one language.
type wipeWords struct {
	reasons  map[wipe.Reason]string
	evidence map[wipe.Evidence]string
	limits   map[wipe.Limit]string
	// checks name the pre-flight checks (wipe.Check.What).
	checks   map[string]string
	outcomes map[wipe.Outcome]string
	// keyring introduces the keyring entries a step deleted.
	keyring string
	// planDamaged says that a damaged plan file was kept aside, at the
	// path it takes (wipe.PlanDamagedError).
	planDamaged string
}

// wipeWordsFor returns the words of lang, English when Porchlight does not
// speak it.
func wipeWordsFor(lang string) wipeWords {
	if w, ok := wipeLanguages[lang]; ok {
		return w
	}
	return wipeLanguages["en"]
}

// reason says r, with the error's text that came with it, if any, in
// brackets. Without a reason (an old journal's sentence Porchlight does not
// know), it is the detail alone.
func (w wipeWords) reason(r wipe.Reason, detail string) string {
	switch {
	case r == "":
		return detail
	case detail == "":
		return w.reasons[r]
	}
	return w.reasons[r] + " (" + detail + ")"
}

// step says what a step of a wipe did.
func (w wipeWords) step(ev wipe.Event) string {
	if ev.Evidence != "" {
		return w.evidence[ev.Evidence]
	}
	s := w.reason(ev.Reason, ev.Detail)
	if len(ev.Deleted) > 0 {
		s += " " + w.keyring + " " + strings.Join(ev.Deleted, ", ")
	}
	return s
}

// wipeLanguages are the words of every language the command line speaks.
var wipeLanguages = map[string]wipeWords{
	"en": {
		reasons: map[wipe.Reason]string{
			wipe.ReasonNotYours:          "It is not marked as yours: Porchlight wipes only devices you claimed ('porchlight claim DEVICE').",
			wipe.ReasonNoAutoReset:       "Porchlight cannot factory-reset this kind of device itself: follow the steps.",
			wipe.ReasonOtherDevice:       "Something else answers where it was, and it was not found elsewhere, so Porchlight sends it nothing.",
			wipe.ReasonUnreachable:       "It could not be reached: is it switched on and connected?",
			wipe.ReasonCheckFailed:       "It could not be checked.",
			wipe.ReasonKeyring:           "The keyring could not be read, so Porchlight cannot use the password it holds.",
			wipe.ReasonNoPassword:        "It asks for a password Porchlight does not hold, so Porchlight cannot send it the reset: follow the steps.",
			wipe.ReasonPasswordRefused:   "It does not accept the password Porchlight holds, so Porchlight cannot send it the reset.",
			wipe.ReasonLoginFailed:       "It did not answer a login.",
			wipe.ReasonPlannedAutomatic:  "automatic factory reset",
			wipe.ReasonPlannedManual:     "manual steps",
			wipe.ReasonRechecking:        "checking the device again before sending the reset…",
			wipe.ReasonSending:           "sending the factory reset",
			wipe.ReasonResending:         "checked again: the device was not reset (it still takes the password Porchlight holds); sending the reset again",
			wipe.ReasonAccepted:          "the device accepted the reset",
			wipe.ReasonRefused:           "the device refused the reset, so nothing was erased",
			wipe.ReasonPasswordChanged:   "nothing was sent: the device's password changed since the plan was made; plan the wipe again",
			wipe.ReasonNoAnswer:          "no answer to the reset; checking the device",
			wipe.ReasonWaitingForRestart: "waiting for the device to restart…",
			wipe.ReasonNotConfirmed:      "the device did not confirm the reset; it is checked again when the wipe resumes",
			wipe.ReasonCheckingReset:     "checking whether the device was reset…",
			wipe.ReasonCannotCheck:       "Porchlight cannot check the device; nothing was sent again",
			wipe.ReasonAnswersAsBefore:   "the device had no password and answers as before, so Porchlight cannot tell whether it was reset; nothing was sent again. Wipe it again to send the reset again",
			wipe.ReasonUnknownPassword:   "the device asks for a password Porchlight does not hold, so Porchlight cannot tell whether it was reset; nothing was sent again",
			wipe.ReasonWaitingForYou:     "waiting for you to follow the steps…",
			wipe.ReasonNobodyToConfirm:   "it needs you to follow the steps, and nobody was there to confirm them",
			wipe.ReasonSkipped:           "you skipped this device",
			wipe.ReasonLocalDataDeleted:  "deleted Porchlight's record of the device",
			wipe.ReasonLocalDataPending:  "Porchlight's own data of the device is deleted when the wipe resumes.",
			wipe.ReasonNotReached:        "Its turn had not come when the wipe stopped; it continues when the wipe resumes.",
		},
		evidence: map[wipe.Evidence]string{
			wipe.CameBackUnconfigured: "came back unconfigured",
			wipe.LeftTheNetwork:       "left the network after the reset",
			wipe.Restarted:            "restarted after the reset (it had no password, so that is all Porchlight could see)",
			wipe.PersonConfirmed:      "you confirmed the steps",
		},
		limits: map[wipe.Limit]string{
			wipe.LimitCopiesElsewhere: "A factory reset erases what is stored on the device itself. Copies elsewhere are out of Porchlight's reach: the vendor's cloud, apps on phones and tablets that used the device, and backups of this computer (Time Machine, File History, roaming profiles).",
			wipe.LimitCloudAccount:    "A reset does not delete a vendor cloud account. Where a device may be tied to one, the steps to delete it are listed with the device.",
			wipe.LimitObservation:     "\"Left the network\" means the device stopped answering after the reset, as reset devices do when they open their own setup Wi-Fi; Porchlight cannot look inside a device to prove the erase. \"Restarted\" is weaker still: the device had no password, so Porchlight could only see it restart.",
			wipe.LimitJournal:         "Porchlight's journal keeps the IDs of the devices of this wipe (never their names or passwords) until you delete all of Porchlight's data. Files deleted from a computer's disk may stay readable with special tools.",
		},
		checks: map[string]string{
			wipe.CheckYours: "yours", wipe.CheckReachable: "answers", wipe.CheckIdentity: "same hardware", wipe.CheckPassword: "password",
		},
		outcomes: map[wipe.Outcome]string{
			wipe.OutcomeWiped: "wiped", wipe.OutcomeErased: "erased", wipe.OutcomeInDoubt: "in doubt",
			wipe.OutcomePending: "pending", wipe.OutcomeNotWiped: "not wiped",
		},
		keyring: "and the keyring entries",
		planDamaged: "The saved plan of a privacy wipe could not be read. Porchlight kept the damaged file as %s; " +
			"an interrupted wipe goes on from Porchlight's journal, with the devices' names from its device list.",
	},
	"de": {
		reasons: map[wipe.Reason]string{
			wipe.ReasonNotYours:          "Es ist nicht als Ihr Gerät markiert: Porchlight löscht nur Geräte, die Sie beansprucht haben ('porchlight claim GERÄT').",
			wipe.ReasonNoAutoReset:       "Porchlight kann diese Art von Gerät nicht selbst auf Werkseinstellungen zurücksetzen: Folgen Sie den Schritten.",
			wipe.ReasonOtherDevice:       "An seiner Adresse antwortet etwas anderes, und anderswo wurde es nicht gefunden; deshalb sendet Porchlight ihm nichts.",
			wipe.ReasonUnreachable:       "Es war nicht erreichbar: Ist es eingeschaltet und verbunden?",
			wipe.ReasonCheckFailed:       "Es konnte nicht geprüft werden.",
			wipe.ReasonKeyring:           "Der Schlüsselbund konnte nicht gelesen werden; deshalb kann Porchlight das gespeicherte Passwort nicht verwenden.",
			wipe.ReasonNoPassword:        "Es verlangt ein Passwort, das Porchlight nicht kennt; deshalb kann Porchlight ihm das Zurücksetzen nicht senden: Folgen Sie den Schritten.",
			wipe.ReasonPasswordRefused:   "Es nimmt das Passwort, das Porchlight gespeichert hat, nicht an; deshalb kann Porchlight ihm das Zurücksetzen nicht senden.",
			wipe.ReasonLoginFailed:       "Es hat auf eine Anmeldung nicht geantwortet.",
			wipe.ReasonPlannedAutomatic:  "automatisches Zurücksetzen auf Werkseinstellungen",
			wipe.ReasonPlannedManual:     "Schritte von Hand",
			wipe.ReasonRechecking:        "das Gerät wird vor dem Zurücksetzen noch einmal geprüft…",
			wipe.ReasonSending:           "der Befehl zum Zurücksetzen wird gesendet",
			wipe.ReasonResending:         "erneut geprüft: Das Gerät wurde nicht zurückgesetzt (es nimmt noch das gespeicherte Passwort an); der Befehl wird noch einmal gesendet",
			wipe.ReasonAccepted:          "das Gerät hat das Zurücksetzen angenommen",
			wipe.ReasonRefused:           "das Gerät hat das Zurücksetzen abgelehnt; es wurde nichts gelöscht",
			wipe.ReasonPasswordChanged:   "es wurde nichts gesendet: Das Passwort des Geräts hat sich seit der Planung geändert; planen Sie den Löschvorgang neu",
			wipe.ReasonNoAnswer:          "keine Antwort auf das Zurücksetzen; das Gerät wird geprüft",
			wipe.ReasonWaitingForRestart: "warten auf den Neustart des Geräts…",
			wipe.ReasonNotConfirmed:      "das Gerät hat das Zurücksetzen nicht bestätigt; es wird erneut geprüft, wenn der Löschvorgang fortgesetzt wird",
			wipe.ReasonCheckingReset:     "es wird geprüft, ob das Gerät zurückgesetzt wurde…",
			wipe.ReasonCannotCheck:       "Porchlight kann das Gerät nicht prüfen; es wurde nichts erneut gesendet",
			wipe.ReasonAnswersAsBefore:   "das Gerät hatte kein Passwort und antwortet wie zuvor; ob es zurückgesetzt wurde, kann Porchlight deshalb nicht erkennen. Es wurde nichts erneut gesendet. Löschen Sie es noch einmal, um das Zurücksetzen erneut zu senden",
			wipe.ReasonUnknownPassword:   "das Gerät verlangt ein Passwort, das Porchlight nicht kennt; ob es zurückgesetzt wurde, kann Porchlight deshalb nicht erkennen. Es wurde nichts erneut gesendet",
			wipe.ReasonWaitingForYou:     "warten darauf, dass Sie die Schritte ausführen…",
			wipe.ReasonNobodyToConfirm:   "dafür müssen Sie die Schritte ausführen, und niemand war da, um sie zu bestätigen",
			wipe.ReasonSkipped:           "Sie haben dieses Gerät übersprungen",
			wipe.ReasonLocalDataDeleted:  "der Eintrag von Porchlight über das Gerät wurde gelöscht",
			wipe.ReasonLocalDataPending:  "Die eigenen Daten von Porchlight über das Gerät werden gelöscht, wenn der Löschvorgang fortgesetzt wird.",
			wipe.ReasonNotReached:        "Es war noch nicht an der Reihe, als der Löschvorgang anhielt; es geht weiter, wenn der Löschvorgang fortgesetzt wird.",
		},
		evidence: map[wipe.Evidence]string{
			wipe.CameBackUnconfigured: "kam unkonfiguriert zurück",
			wipe.LeftTheNetwork:       "hat nach dem Zurücksetzen das Netzwerk verlassen",
			wipe.Restarted:            "startete nach dem Zurücksetzen neu (es hatte kein Passwort, mehr konnte Porchlight nicht sehen)",
			wipe.PersonConfirmed:      "Sie haben die Schritte bestätigt",
		},
		limits: map[wipe.Limit]string{
			wipe.LimitCopiesElsewhere: "Das Zurücksetzen auf Werkseinstellungen löscht, was auf dem Gerät selbst gespeichert ist. Kopien anderswo erreicht Porchlight nicht: in der Cloud des Herstellers, in Apps auf Smartphones und Tablets, die das Gerät genutzt haben, und in Sicherungen dieses Computers (Time Machine, Dateiversionsverlauf, servergespeicherte Profile).",
			wipe.LimitCloudAccount:    "Das Zurücksetzen löscht kein Cloud-Konto beim Hersteller. Wo ein Gerät mit einem verbunden sein kann, stehen die Schritte zum Löschen beim Gerät.",
			wipe.LimitObservation:     "„Hat das Netzwerk verlassen“ heißt, dass das Gerät nach dem Zurücksetzen nicht mehr antwortete, wie es zurückgesetzte Geräte tun, wenn sie ihr eigenes Einrichtungs-WLAN öffnen; Porchlight kann nicht in ein Gerät hineinsehen, um das Löschen zu beweisen. „Neu gestartet“ ist noch schwächer: Das Gerät hatte kein Passwort, Porchlight konnte nur den Neustart sehen.",
			wipe.LimitJournal:         "Das Protokoll von Porchlight behält die Kennungen der Geräte dieses Löschvorgangs (nie ihre Namen oder Passwörter), bis Sie alle Daten von Porchlight löschen. Auf der Festplatte eines Computers gelöschte Dateien können mit Spezialwerkzeugen lesbar bleiben.",
		},
		checks: map[string]string{
			wipe.CheckYours: "Ihres", wipe.CheckReachable: "antwortet", wipe.CheckIdentity: "dieselbe Hardware", wipe.CheckPassword: "Passwort",
		},
		outcomes: map[wipe.Outcome]string{
			wipe.OutcomeWiped: "gelöscht", wipe.OutcomeErased: "gelöscht, eigene Daten folgen", wipe.OutcomeInDoubt: "unklar",
			wipe.OutcomePending: "ausstehend", wipe.OutcomeNotWiped: "nicht gelöscht",
		},
		keyring: "samt den Einträgen im Schlüsselbund",
		planDamaged: "Der gespeicherte Plan einer Datenlöschung ließ sich nicht lesen. Porchlight hat die beschädigte Datei als %s aufbewahrt; " +
			"eine unterbrochene Löschung geht anhand des Protokolls von Porchlight weiter, mit den Gerätenamen aus seiner Geräteliste.",
	},
}
