#!/usr/bin/env python3
"""Fail when the build or the binary needs a Debian package that set-up would not install.

A clean clone on a developer's machine is not a fresh machine: packages installed for other reasons hide a
missing entry in scripts/dev.sh's list, and only a new user finds out. This check maps what the build really
used to the packages that own it and compares that with what set-up installs:

  build:    every CMake package config and every library or tool the configure step found (CMakeCache.txt:
            *_DIR entries and FILEPATH entries) plus what the tests load at run time (Qt platform plugins,
            the SQLite driver, a font) must belong to a package in scripts/dev.sh's list or to a hard
            dependency of one (apt-cache depends --recurse, no recommends or suggests, installed only).
  runtime:  every shared library the agentdesk binary links (ldd) and every plugin it loads with dlopen
            must belong to a package in the .deb's Depends (as built by cpack) or a hard dependency of one.

Exit 0 when everything is covered, 1 naming each missing package, 77 (CTest's "skipped") when this is not a
Debian system.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SKIP = 77

# Qt loads these with dlopen, so ldd cannot see them; each entry says who needs it.
QT_PLUGINS_FOR_TESTS = {
    "platforms/libqoffscreen.so": "the tests (QT_QPA_PLATFORM=offscreen)",
    "platforms/libqxcb.so": "the window under an X server (scripts/dev.sh run)",
    "sqldrivers/libqsqlite.so": "the history readers (Qt SQL's SQLite driver)",
    "iconengines/libqsvgicon.so": "the window's SVG icons",
}
QT_PLUGINS_AT_RUNTIME = {
    "platforms/libqxcb.so": "the window under an X server",
    "xcbglintegrations/libqxcb-glx-integration.so": "the window under an X server",
    "sqldrivers/libqsqlite.so": "the history readers (Qt SQL's SQLite driver)",
    "iconengines/libqsvgicon.so": "the window's SVG icons",
}


def run(cmd, check=True, **kwargs):
    return subprocess.run(cmd, check=check, text=True, capture_output=True, **kwargs)


def dev_script_packages(dev_script):
    """The words inside `packages=( … )` in scripts/dev.sh, comments dropped."""
    text = Path(dev_script).read_text()
    match = re.search(r"^packages=\((.*?)^\)", text, re.S | re.M)
    if not match:
        sys.exit(f"{dev_script}: no packages=( … ) list found")
    words = []
    for line in match.group(1).splitlines():
        words += line.split("#", 1)[0].split()
    return words


def hard_dependency_closure(packages):
    """The packages themselves and everything they pull in as hard dependencies, installed ones only."""
    result = run(["apt-cache", "depends", "--recurse", "--installed", "--no-recommends", "--no-suggests",
                  "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"] + list(packages),
                 check=False)
    closure = set()
    for line in result.stdout.splitlines():
        if line and not line[0].isspace() and not line.startswith("<"):
            closure.add(line.split(":", 1)[0].strip())
    return closure


def usr_merge_variants(path):
    """Debian 12 merges /lib into /usr/lib, but dpkg records whichever path the package shipped."""
    variants = [path]
    for short, long in (("/lib/", "/usr/lib/"), ("/bin/", "/usr/bin/"), ("/sbin/", "/usr/sbin/")):
        if path.startswith(short):
            variants.append(long + path[len(short):])
        elif path.startswith(long):
            variants.append(short + path[len(long):])
    real = os.path.realpath(path)
    if real != path:
        variants += usr_merge_variants(real)
    return variants


_owners = None


def owner_of(path):
    """The Debian package that owns a file, or None. Reads dpkg's file lists once: one `dpkg -S` per
    header would take minutes."""
    global _owners
    if _owners is None:
        _owners = {}
        for listing in Path("/var/lib/dpkg/info").glob("*.list"):
            package = listing.name[:-len(".list")].split(":")[0]
            for owned in listing.read_text(errors="replace").splitlines():
                _owners.setdefault(owned, package)
    for candidate in usr_merge_variants(path):
        if candidate in _owners:
            return _owners[candidate]
    return None


# FindOpenGL looks for every GL flavour whether or not anything links it; on a machine without these
# packages the entries stay NOTFOUND and the build does not miss them.
OPTIONAL_CMAKE_PROBES = {"OPENGL_egl_LIBRARY", "OPENGL_glu_LIBRARY", "OPENGL_EGL_INCLUDE_DIR"}


def files_cmake_read(build_dir):
    """Every CMake file the last configure read (package configs, find modules), or None when the
    generator does not say. The cache alone is not enough: it keeps the *_DIR of a package the build
    stopped using."""
    ninja = Path(build_dir, "build.ninja")
    if not ninja.is_file():
        return None
    text = ninja.read_text().replace("$\n", " ")
    for line in text.splitlines():
        if line.startswith("build build.ninja:") and "|" in line:
            implicit = line.split("|", 1)[1]
            return {token.replace("$ ", " ") for token in re.split(r"(?<!\$) ", implicit) if token}
    return None


def cmake_cache_files(cache_path, loaded):
    """(entry, file) for every package config and every tool or library the configure step found."""
    found = []
    for line in Path(cache_path).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.+-]+):(PATH|FILEPATH)=(.+)$", line)
        if not match or match.group(3).endswith("-NOTFOUND") or match.group(1) in OPTIONAL_CMAKE_PROBES:
            continue
        name, kind, value = match.groups()
        if kind == "PATH" and name.endswith("_DIR") and os.path.isdir(value):
            # A package config directory: the config file in it is what CMake loaded. Include
            # directories such as /usr/include are shared by hundreds of packages; their library
            # (a FILEPATH entry) names the owner instead.
            package = name[:-len("_DIR")]
            for config in (f"{package}Config.cmake", f"{package.lower()}-config.cmake"):
                path = os.path.join(value, config)
                if os.path.isfile(path) and (loaded is None or path in loaded):
                    found.append((name, path))
                    break
        elif kind == "FILEPATH" and os.path.isfile(value):
            found.append((name, value))
    return found


def compiled_headers(build_dir):
    """Every header outside the source and build trees that some object file included (ninja's deps log)."""
    if not os.path.isfile(os.path.join(build_dir, ".ninja_deps")) or not shutil.which("ninja"):
        return []
    result = run(["ninja", "-C", build_dir, "-t", "deps"], check=False)
    headers = set()
    for line in result.stdout.splitlines():
        path = line.strip()
        if line.startswith("    ") and path.startswith("/usr/"):
            headers.add(os.path.normpath(path))
    return [("a header the build includes", h) for h in sorted(headers)]


def ldd_libraries(binary):
    result = run(["ldd", binary])
    libraries = []
    for line in result.stdout.splitlines():
        if "not found" in line:
            sys.exit(f"{binary}: ldd cannot resolve {line.strip()}")
        match = re.search(r"=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)", line)
        if match:
            libraries.append(match.group(1))
    return libraries


def qt_plugin_dir():
    for qtpaths in ("qtpaths6", "/usr/lib/qt6/bin/qtpaths"):
        if shutil.which(qtpaths):
            return run([qtpaths, "--query", "QT_INSTALL_PLUGINS"]).stdout.strip()
    return "/usr/lib/x86_64-linux-gnu/qt6/plugins"


def default_font_file():
    if not shutil.which("fc-match"):
        return None
    return run(["fc-match", "-f", "%{file}", "sans-serif"], check=False).stdout.strip() or None


def check_covered(needs, closure, list_name, problems):
    """needs: (what, file). Adds a problem for each owner outside the closure."""
    missing = {}
    for what, path in needs:
        owner = owner_of(path)
        if owner is None:
            problems.append(f"{path} ({what}) belongs to no Debian package: a fresh machine will not have it")
        elif owner not in closure:
            missing.setdefault(owner, []).append(f"{what}: {path}")
    for package, reasons in sorted(missing.items()):
        shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
        problems.append(f"package {package} is not in {list_name} nor pulled in by it ({shown})")


def check_build(args, problems):
    packages = dev_script_packages(args.dev_script)
    closure = hard_dependency_closure(packages)
    not_installed = [p for p in packages if p not in closure]
    for package in not_installed:
        problems.append(f"package {package} in {args.dev_script} is not installed here; run set-up first")
    loaded = files_cmake_read(args.build_dir)
    needs = cmake_cache_files(args.cmake_cache, loaded) + compiled_headers(args.build_dir)
    needs += [("a CMake file the configure step read", f) for f in sorted(loaded or ()) if f.startswith("/usr/")]
    plugins = qt_plugin_dir()
    needs += [(f"Qt plugin for {why}", os.path.join(plugins, plugin))
              for plugin, why in QT_PLUGINS_FOR_TESTS.items()]
    font = default_font_file()
    if font is None:
        problems.append("fontconfig finds no sans-serif font: the window and the GUI tests need one")
    else:
        needs.append(("the default sans-serif font (fc-match)", font))
    for what, path in list(needs):
        if path.endswith(".so") and "/plugins/" in path and os.path.isfile(path):
            needs += [(f"library of {os.path.basename(path)}", lib) for lib in ldd_libraries(path)]
    check_covered(needs, closure, "scripts/dev.sh's package list", problems)
    print(f"build: {len(needs)} files checked against {len(closure)} packages from {len(packages)} listed")


def deb_depends(args):
    """The Depends field of the .deb that cpack builds from this build tree (built in a temporary
    directory that goes with it: each package is a few hundred MB)."""
    if args.deb:
        return depends_of(args.deb)
    with tempfile.TemporaryDirectory(prefix="agentdesk-deb-") as work:
        result = run(["cpack", "-G", "DEB", "--config", os.path.join(args.build_dir, "CPackConfig.cmake"),
                      "-B", work], check=False)
        debs = list(Path(work).glob("*.deb"))
        if result.returncode != 0 or not debs:
            sys.exit("cpack -G DEB failed:\n" + result.stdout + result.stderr)
        return depends_of(str(debs[0]))


def depends_of(deb):
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
    names = []
    for clause in depends.split(","):
        first_alternative = clause.split("|")[0].strip()
        if first_alternative:
            names.append(re.split(r"[\s(]", first_alternative)[0].split(":")[0])
    return names


def check_runtime(args, problems):
    depends = deb_depends(args)
    closure = hard_dependency_closure(depends)
    needs = [("linked by agentdesk", lib) for lib in ldd_libraries(args.binary)]
    plugins = qt_plugin_dir()
    for plugin, why in QT_PLUGINS_AT_RUNTIME.items():
        path = os.path.join(plugins, plugin)
        needs.append((f"Qt plugin for {why}", path))
        needs += [(f"library of {os.path.basename(plugin)}", lib) for lib in ldd_libraries(path)]
    check_covered(needs, closure, "the .deb's Depends", problems)
    print(f"runtime: {len(needs)} files checked against the .deb's Depends: {', '.join(depends)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-script", required=True, help="scripts/dev.sh")
    parser.add_argument("--build-dir", required=True, help="the configured build tree")
    parser.add_argument("--binary", help="the agentdesk executable (enables the runtime check)")
    parser.add_argument("--deb", help="an already built .deb instead of running cpack")
    parser.add_argument("--only", choices=("build", "runtime"))
    args = parser.parse_args()
    args.cmake_cache = os.path.join(args.build_dir, "CMakeCache.txt")
    if not (shutil.which("dpkg") and shutil.which("apt-cache")):
        print("skipped: not a Debian system (no dpkg/apt-cache), nothing to map files to packages")
        return SKIP
    problems = []
    if args.only in (None, "build"):
        check_build(args, problems)
    if args.binary and args.only in (None, "runtime"):
        check_runtime(args, problems)
    for problem in problems:
        print("MISSING: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
