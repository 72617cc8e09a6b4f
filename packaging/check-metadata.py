#!/usr/bin/env python3
"""Checks that Porchlight's packaging files agree with each other and with
FyneApp.toml: app ID, name, version, categories, keywords, icon, the Flatpak
permissions, the installer's ID. Run by `make package-check`; standard
library plus PyYAML (python3-yaml)."""

import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PROJECT_RAW = "https://github.com/porchlight/porchlight/raw/main/"
problems, notes = [], []


def path(*p):
    return os.path.join(ROOT, *p)


def check(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def read(*p):
    with open(path(*p), encoding="utf-8") as f:
        return f.read()


# FyneApp.toml
with open(path("FyneApp.toml"), "rb") as f:
    fyneapp = tomllib.load(f)
details = fyneapp.get("Details", {})
app_id, name, version = details.get("ID", ""), details.get("Name", ""), details.get("Version", "")
linux = fyneapp.get("LinuxAndBSD", {})
check(app_id == "io.github.porchlight.Porchlight", f"FyneApp.toml: ID is {app_id!r}")
check(name == "Porchlight", f"FyneApp.toml: Name is {name!r}")
check(re.fullmatch(r"\d+\.\d+\.\d+", version), f"FyneApp.toml: Version {version!r} is not x.y.z")
check(isinstance(details.get("Build"), int) and details["Build"] >= 1, "FyneApp.toml: Build must be a number >= 1")
check(fyneapp.get("Languages") == ["en", "de"], "FyneApp.toml: Languages must be [\"en\", \"de\"]")
check(fyneapp.get("Migrations", {}).get("fyneDo") is True, "FyneApp.toml: [Migrations] fyneDo = true is missing")
check(details.get("Icon") == "assets/icon.png", "FyneApp.toml: Icon must be assets/icon.png (assets.go embeds it)")
check(f'NewWithID("{app_id}")' in read("main.go"), f'main.go does not call NewWithID("{app_id}")')

# the licence: Apache-2.0 everywhere it is named, its text at the root
LICENCE = "Apache-2.0"
licence_text = read("LICENSE")
check(licence_text.split()[:4] == ["Apache", "License", "Version", "2.0,"] and
      "END OF TERMS AND CONDITIONS" in licence_text, "LICENSE is not the Apache License 2.0 text")
for table in ("Development", "Release"):
    check(fyneapp.get(table, {}).get("License") == LICENCE, f"FyneApp.toml: [{table}] License is not {LICENCE}")
check(f"[Apache License 2.0](LICENSE)" in read("README.md"), "README.md does not name the licence with a link to LICENSE")

# the icon: a 512x512 PNG rendered from the hand-drawn SVG
with open(path("assets", "icon.png"), "rb") as f:
    head = f.read(24)
if check(head[:8] == b"\x89PNG\r\n\x1a\n", "assets/icon.png is not a PNG"):
    w, h = struct.unpack(">II", head[16:24])
    check((w, h) == (512, 512), f"assets/icon.png is {w}x{h}, not 512x512")
svg = read("assets", "icon.svg")
check('viewBox="0 0 512 512"' in svg, "assets/icon.svg: viewBox must be 0 0 512 512")
check("<text" not in svg, "assets/icon.svg: no text in the icon")

# the desktop entry
desktop_name = f"{app_id}.desktop"
entry = {}
for line in read("packaging", "linux", desktop_name).splitlines():
    if "=" in line and not line.startswith("#"):
        k, v = line.split("=", 1)
        entry[k] = v
want = {
    "Name": name,
    "Icon": app_id,
    "Exec": "porchlight",  # fyne's tarball Makefile rewrites exactly "Exec=porchlight"
    "GenericName": linux.get("GenericName", ""),
    "Comment": linux.get("Comment", ""),
    "Categories": ";".join(linux.get("Categories", [])) + ";",
    "Keywords": ";".join(linux.get("Keywords", [])) + ";",
    "StartupWMClass": name,
}
for k, v in want.items():
    check(entry.get(k) == v, f"{desktop_name}: {k}={entry.get(k)!r}, FyneApp.toml says {v!r}")
for k in ("GenericName[de]", "Comment[de]", "Keywords[de]"):
    check(entry.get(k), f"{desktop_name}: {k} (German) is missing")

# the AppStream metainfo
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
meta = ET.parse(path("packaging", "linux", f"{app_id}.metainfo.xml")).getroot()
mi = f"{app_id}.metainfo.xml"
check(meta.findtext("id") == app_id, f"{mi}: <id> is {meta.findtext('id')!r}")
check(meta.findtext("name") == name, f"{mi}: <name> is {meta.findtext('name')!r}")
check(meta.findtext("launchable") == desktop_name, f"{mi}: <launchable> is not {desktop_name}")
check(meta.findtext("project_license") == LICENCE, f"{mi}: <project_license> is not {LICENCE}")
# AppStream accepts only permissive licences for the metadata itself; CC0-1.0 is what Flathub asks for.
check(meta.findtext("metadata_license") == "CC0-1.0", f"{mi}: <metadata_license> is not CC0-1.0")
check(meta.find("content_rating[@type='oars-1.1']") is not None, f"{mi}: no OARS 1.1 content rating")
releases = meta.findall("releases/release")
if check(releases, f"{mi}: no <release>"):
    check(releases[0].get("version") == version,
          f"{mi}: newest release is {releases[0].get('version')!r}, FyneApp.toml Version is {version!r}")
cats = [c.text for c in meta.findall("categories/category")]
for c in linux.get("Categories", []):
    check(c in cats, f"{mi}: category {c} (from the desktop entry) missing")
shots = [i.text.strip() for i in meta.findall("screenshots/screenshot/image")]
check(shots, f"{mi}: no screenshots")
for url in shots:
    if check(url.startswith(PROJECT_RAW + "docs/screenshots/") and url.endswith(".png"),
             f"{mi}: screenshot {url} is not {PROJECT_RAW}docs/screenshots/*.png"):
        local = url[len(PROJECT_RAW):]
        if not os.path.exists(path(local)):
            notes.append(f"{local} does not exist yet: software centres will show no screenshot until it is committed")

# the Flatpak manifest
fp_name = f"{app_id}.yml"
with open(path("packaging", "linux", fp_name), encoding="utf-8") as f:
    fp = yaml.safe_load(f)
check(fp.get("id") == app_id, f"{fp_name}: id is {fp.get('id')!r}")
check(fp.get("command") == "porchlight", f"{fp_name}: command is {fp.get('command')!r}")
check(fp.get("runtime") == "org.freedesktop.Platform" and fp.get("sdk") == "org.freedesktop.Sdk",
      f"{fp_name}: runtime/sdk must be org.freedesktop.Platform/Sdk")
check("org.freedesktop.Sdk.Extension.golang" in fp.get("sdk-extensions", []), f"{fp_name}: golang SDK extension missing")
args = fp.get("finish-args", [])
for a in ("--share=network", "--device=dri", "--talk-name=org.freedesktop.secrets"):
    check(a in args, f"{fp_name}: finish-args lacks {a}")
check("--socket=x11" in args or "--socket=wayland" in args, f"{fp_name}: finish-args has no display socket")
raw_manifest = read("packaging", "linux", fp_name)
for a in args:  # every permission is explained in a comment above it
    i = raw_manifest.index(f"- {a}")
    before = raw_manifest[:i].rstrip().splitlines()
    check(before and (before[-1].lstrip().startswith("#") or before[-1].lstrip().startswith("- --")),
          f"{fp_name}: no comment explaining {a}")
modules = fp.get("modules", [])
cmds = " ".join(c for m in modules for c in m.get("build-commands", []))
go_builds = [c for m in modules for c in m.get("build-commands", []) if c.startswith("go build")]
check(go_builds and all(re.search(r"-tags \S*\bflatpak\b", c) for c in go_builds),
      f"{fp_name}: go build without -tags flatpak (Fyne would not use the portals)")
for f_ in ("packaging/linux/${FLATPAK_ID}.desktop", "packaging/linux/${FLATPAK_ID}.metainfo.xml",
           "assets/icon.svg", "assets/icon.png"):
    check(f_ in cmds, f"{fp_name}: does not install {f_}")
    check(os.path.exists(path(f_.replace("${FLATPAK_ID}", app_id))), f"{fp_name}: installs {f_}, which does not exist")

# the Windows installer
nsi = read("packaging", "windows", "porchlight.nsi")
check(f'!define APPID "{app_id}"' in nsi, f"porchlight.nsi: APPID is not {app_id}")
check('!insertmacro MUI_PAGE_LICENSE "../../LICENSE"' in nsi, "porchlight.nsi: no licence page showing LICENSE")
check(f'!define APPNAME "{name}"' in nsi, f"porchlight.nsi: APPNAME is not {name}")

for n in notes:
    print(f"note {n}")
if problems:
    for p in problems:
        print(f"FAIL {p}", file=sys.stderr)
    sys.exit(1)
print(f"ok   FyneApp.toml, main.go, icon, desktop entry, AppStream, Flatpak and NSIS agree: {app_id} {name} {version}")
