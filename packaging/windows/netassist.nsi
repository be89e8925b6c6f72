; netassist Windows installer (NSIS 3, built on Linux by `makensis`).
; Per-user: installs into %LOCALAPPDATA%\Programs\netassist without admin
; rights, adds Start-menu and desktop shortcuts and an uninstaller listed in
; "Apps & features" (HKCU). scripts/package.sh passes the defines:
;   makensis -DVERSION=0.1.0 -DEXE=path\netassist.exe -DOUTFILE=dist\... netassist.nsi
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef EXE
  !error "pass -DEXE=path/to/netassist.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "netassist-${VERSION}-windows-x86_64-setup.exe"
!endif

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\netassist"

Name "netassist"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\netassist"
InstallDirRegKey HKCU "Software\netassist" "InstallDir"
SetCompressor /SOLID lzma
BrandingText "netassist ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "netassist"
VIAddVersionKey "FileDescription" "netassist installer"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "..\..\assets\icons\netassist.ico"
!define MUI_UNICON "..\..\assets\icons\netassist.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\netassist.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "netassist" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=netassist.exe" "${EXE}"
  File "/oname=README.md" "..\..\README.md"
  File "/oname=OFL.txt" "..\..\assets\fonts\OFL.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\netassist"
  CreateShortcut "$SMPROGRAMS\netassist\netassist.lnk" "$INSTDIR\netassist.exe"
  CreateShortcut "$SMPROGRAMS\netassist\Uninstall netassist.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\netassist.lnk" "$INSTDIR\netassist.exe"

  WriteRegStr HKCU "Software\netassist" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "netassist — 网络调试助手"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "netassist developers"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\netassist.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

; Profiles, logs and captures (%APPDATA%\netassist) are the user's: kept.
Section "Uninstall"
  Delete "$DESKTOP\netassist.lnk"
  RMDir /r "$SMPROGRAMS\netassist"
  Delete "$INSTDIR\netassist.exe"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\OFL.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\netassist"
SectionEnd
