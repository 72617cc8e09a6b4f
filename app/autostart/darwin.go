//go:build darwin

package autostart

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// path is the LaunchAgent in ~/Library/LaunchAgents, which launchd loads
// at login.
func path() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding your home folder: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents", ID+".plist"), nil
}

func enable(exe string) error {
	p, err := path()
	if err != nil {
		return err
	}
	return writeEntry(p, []byte(launchAgent(exe)), 0o755)
}

// launchAgent is the property list that starts exe at login, once.
func launchAgent(exe string) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n\t<key>Label</key>\n\t<string>" + ID + "</string>\n")
	b.WriteString("\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>")
	xml.EscapeText(&b, []byte(exe))
	b.WriteString("</string>\n\t\t<string>" + BackgroundFlag + "</string>\n\t</array>\n")
	b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n\t<key>ProcessType</key>\n\t<string>Interactive</string>\n</dict>\n</plist>\n")
	return b.String()
}
