package report

import (
	_ "embed" // the fonts
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/porchlight/porchlight/app/checkup"
)

// The PDF's typeface: DejaVu Sans (fonts-dejavu-core 2.37), which covers
// Latin, Greek, Cyrillic and the ✓ ✗ marks, so that a device named in any of
// them prints as named. Its licence (fonts/LICENSE, Bitstream Vera and Arev)
// allows embedding and passing it on; fpdf embeds only the glyphs a report uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
)

const (
	pdfFont   = "DejaVuSans"
	pdfMargin = 18.0              // mm
	pdfWidth  = 210 - 2*pdfMargin // A4's text width
)

// statusColour is a status's colour in the PDF, the HTML page's; the mark
// beside it says the same in words.
var statusColour = map[checkup.Status][3]int{
	checkup.OK:            {0x1b, 0x7f, 0x3a},
	checkup.Problem:       {0xb3, 0x26, 0x1e},
	checkup.Unknown:       {0x6b, 0x6b, 0x6b},
	checkup.NotApplicable: {0x6b, 0x6b, 0x6b},
}

// WritePDF writes the checkup as an A4 PDF in lang, with what the HTML page
// shows: the summary, each device with every line, its evidence and what
// can be done, and the limits of what Porchlight observed.
func WritePDF(w io.Writer, h checkup.Household, lang string) error {
	p := Render(h, lang)
	t := func(key string) string { return words[p.Lang][key] }

	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin)
	f.AddUTF8FontFromBytes(pdfFont, "", regularTTF)
	f.AddUTF8FontFromBytes(pdfFont, "B", boldTTF)
	f.SetTitle(t("title"), true)
	f.SetCreator("Porchlight", true)
	f.SetLang(p.Lang)
	f.SetCreationDate(p.Checked)
	f.SetModificationDate(p.Checked)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-pdfMargin + 6)
		f.SetFont(pdfFont, "", 8)
		f.SetTextColor(0x6b, 0x6b, 0x6b)
		f.CellFormat(0, 4, fmt.Sprintf("%s · %d/{nb}", t("title"), f.PageNo()), "", 0, "C", false, 0, "")
	})
	f.AddPage()

	text := func(size float64, style string, height float64, s string) {
		f.SetFont(pdfFont, style, size)
		f.MultiCell(0, height, s, "", "L", false)
	}
	black := func() { f.SetTextColor(0, 0, 0) }

	black()
	text(18, "B", 9, t("title"))
	text(10, "", 6, t("checked")+" "+p.Checked.Format("2006-01-02 15:04"))
	f.Ln(2)
	// The summary in a box, its text clear of the frame.
	cellMargin := f.GetCellMargin()
	f.SetCellMargin(3)
	f.SetLineWidth(0.4)
	f.CellFormat(0, 2, "", "LTR", 1, "", false, 0, "")
	f.SetFont(pdfFont, "", 12)
	f.MultiCell(0, 6.5, p.Summary.Sentence, "LR", "L", false)
	if p.Summary.NextStep != "" {
		f.SetFont(pdfFont, "B", 12)
		f.MultiCell(0, 6.5, p.Summary.NextStep, "LR", "L", false)
	}
	f.CellFormat(0, 2, "", "LBR", 1, "", false, 0, "")
	f.SetCellMargin(cellMargin)

	for _, d := range p.Devices {
		f.Ln(6)
		black()
		text(14, "B", 7.5, d.Device.Name)
		text(9.5, "", 5, deviceLine(p.Lang, d.Device))
		f.Ln(1)
		for _, l := range d.Lines {
			f.SetDrawColor(0xbb, 0xbb, 0xbb)
			f.Line(pdfMargin, f.GetY(), pdfMargin+pdfWidth, f.GetY())
			f.Ln(1.5)
			if f.GetY() > 297-pdfMargin-20 { // a line's heading never ends a page
				f.AddPage()
			}
			head := strings.TrimSpace(t("provision") + " " + l.Provision + " " + l.Title)
			c := statusColour[l.Status]
			mark := mark(p.Lang, l.Status)
			f.SetFont(pdfFont, "B", 10)
			markW := f.GetStringWidth(mark) + 2
			y := f.GetY()
			f.SetXY(pdfMargin+pdfWidth-markW, y)
			f.SetTextColor(c[0], c[1], c[2])
			f.CellFormat(markW, 5.5, mark, "", 0, "R", false, 0, "")
			f.SetXY(pdfMargin, y)
			black()
			f.MultiCell(pdfWidth-markW, 5.5, head, "", "L", false)
			black()
			text(10, "", 5, l.Sentence)
			if fx := l.Fix; fx != nil {
				what := fx.Summary
				if fx.ByPorchlight {
					what = t("byporchlight")
				}
				text(10, "", 5, t("fix")+": "+what)
				for i, s := range fx.Steps {
					f.SetX(pdfMargin + 5)
					text(10, "", 5, fmt.Sprintf("%d. %s", i+1, s))
				}
			}
			if len(l.Evidence) > 0 {
				f.SetTextColor(0x55, 0x55, 0x55)
				text(8.5, "", 4.2, t("evidence")+": "+strings.Join(l.Evidence, "; "))
			}
			f.Ln(1.5)
		}
	}

	f.Ln(6)
	black()
	text(9.5, "", 5, t("limits"))
	if err := f.Output(w); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// deviceLine is the line under a device's name: model, software, addresses
// and host, as the HTML page has it.
func deviceLine(lang string, d checkup.Device) string {
	t := func(key string) string { return words[lang][key] }
	s := t("model") + ": " + strings.TrimSpace(d.Vendor+" "+d.Model)
	if d.Firmware != "" {
		s += " · " + t("firmware") + ": " + d.Firmware
	}
	return s + " · " + t("address") + ": " + strings.Join(d.Addresses, ", ") + " (" + d.Host + ")"
}
