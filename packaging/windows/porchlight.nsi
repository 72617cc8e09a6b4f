; Porchlight's Windows installer (NSIS 3). Built by `make package-windows`,
; which passes the values below; by hand, from the repository root:
;   makensis -DVERSION=0.1.0 -DBUILD=1 -DEXE=dist/windows/Porchlight.exe \
;     -DICON=dist/windows/porchlight.ico -DOUTFILE=dist/windows/Porchlight-0.1.0-setup.exe \
;     packaging/windows/porchlight.nsi
;
; What it does, and nothing more: shows the licence (Apache-2.0), installs Porchlight.exe to
; "C:\Program Files\Porchlight", adds a Start menu shortcut, registers the
; uninstaller in Settings > Apps. No desktop icon, no autostart, no firewall
; rule, no services. Windows Defender Firewall asks on Porchlight's first
; scan; docs/packaging.md says what to answer (Private networks).
; The uninstaller leaves the person's data (inventory, receipts, keyring
; entries): deleting those is Porchlight's own privacy wipe.

!ifndef VERSION | BUILD | EXE | ICON | OUTFILE
  !error "pass -DVERSION= -DBUILD= -DEXE= -DICON= -DOUTFILE= (see the top of this file)"
!endif

!define APPNAME "Porchlight"
!define APPID "io.github.porchlight.Porchlight"
!define PUBLISHER "The Porchlight developers"
!define WEBSITE "https://github.com/porchlight/porchlight"
!define EXENAME "Porchlight.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin ; Program Files and the HKLM uninstall entry need it

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; Start Porchlight from the finish page as the person, not as administrator.
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsUser

!insertmacro MUI_PAGE_WELCOME
; The licence (LICENSE at the repository's root, Apache-2.0) is shown, not
; agreed to: it grants rights and asks nothing of someone who only uses the
; program, so the button says Next and there is no check box.
!define MUI_LICENSEPAGE_BUTTON "$(^NextBtn)"
!define MUI_LICENSEPAGE_TEXT_BOTTOM "$(LicenceBottom)"
!insertmacro MUI_PAGE_LICENSE "../../LICENSE" ; makensis reads it from the script's directory
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Porchlight speaks English and German; the installer follows the Windows display
; language (no language question).
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "German"

LangString Needs64Bit ${LANG_ENGLISH} "Porchlight needs a 64-bit version of Windows."
LangString Needs64Bit ${LANG_GERMAN} "Porchlight benötigt eine 64-Bit-Version von Windows."
LangString LicenceBottom ${LANG_ENGLISH} "Porchlight is free software under the Apache License 2.0. You need not accept it to use Porchlight; it says what you may do when you copy, change or pass Porchlight on."
LangString LicenceBottom ${LANG_GERMAN} "Porchlight ist freie Software unter der Apache License 2.0. Um Porchlight zu benutzen, müssen Sie ihr nicht zustimmen; sie sagt, was Sie dürfen, wenn Sie Porchlight kopieren, ändern oder weitergeben."

VIProductVersion "${VERSION}.${BUILD}"
VIFileVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APPNAME} ${VERSION} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(Needs64Bit)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  ; An update goes where the last install went, unless /D= says otherwise
  ; (read from the 64-bit view, which InstallDirRegKey cannot do).
  ReadRegStr $0 HKLM "${UNINSTKEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APPNAME}"
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Function RunAsUser
  ; The installer runs elevated; explorer.exe starts the app unelevated.
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${EXENAME}"'
FunctionEnd

Section "Porchlight" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "/oname=${EXENAME}" "${EXE}"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXENAME}" "" "$INSTDIR\${EXENAME}" 0

  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "URLInfoAbout" "${WEBSITE}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" '"$INSTDIR\${EXENAME}",0'
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$INSTDIR\${EXENAME}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
SectionEnd
