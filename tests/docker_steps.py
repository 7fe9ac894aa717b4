"""The Docker image built and its compose service run without Docker (tests/test_docker.py).

The Dockerfile is read instruction by instruction and carried out on a directory that stands for the image's file
system, from a build context made of the files a clean clone has; a virtualenv of the machine's Python stands for the
base image's. What cannot happen outside a container (creating a user, switching to it) is recorded in `skipped`,
and anything else the reader does not know is an error, so that a new kind of step is never silently left out.
"""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

# The python image's PATH, with the virtualenv in front as the image's /usr/local/bin.
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Commands that make users, which a container may and this machine must not.
USER_COMMANDS = {"useradd", "adduser", "groupadd", "addgroup"}


class BuildFailed(AssertionError):
    pass


@dataclass(frozen=True)
class Instruction:
    keyword: str
    argument: str
    line: int


def instructions(dockerfile: str) -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined, comments and blank lines left out."""
    found, pending, start = [], "", 0
    for number, line in enumerate(dockerfile.splitlines(), start=1):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):  # a comment inside a continued instruction
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1].rstrip() + " "
            continue
        keyword, _, argument = (pending + stripped).partition(" ")
        found.append(Instruction(keyword.upper(), argument.strip(), start))
        pending = ""
    return found


def env_pairs(argument: str) -> dict[str, str]:
    """`ENV A=1 B="two words"` or the old `ENV A 1`."""
    words = shlex.split(argument)
    if "=" not in words[0]:
        return {words[0]: argument.partition(" ")[2].strip()}
    return dict(word.split("=", 1) for word in words)


def clean_context(checkout: Path, into: Path) -> Path:
    """The files a clean clone of `checkout` has (as its working tree holds them), less those .dockerignore names."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=checkout, capture_output=True, check=True).stdout
    ignore_file = checkout / ".dockerignore"
    patterns = ignore_file.read_text().split() if ignore_file.exists() else []
    for name in filter(None, listed.decode().split("\0")):
        source = checkout / name
        if not source.is_file() or ignored(name, patterns):  # deleted in the working tree, or left out of the build
            continue
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, into / name)
    return into


def ignored(name: str, patterns: list[str]) -> bool:
    """Whether .dockerignore leaves `name` out: a pattern matches the path or a folder above it; the last match wins."""
    parts = name.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for pattern in patterns:
        negated, pattern = pattern.startswith("!"), pattern.lstrip("!").strip("/")
        alternatives = [pattern] + ([pattern[3:]] if pattern.startswith("**/") else [])
        if any(fnmatch(prefix, alternative) for prefix in prefixes for alternative in alternatives):
            result = not negated
    return result


class Image:
    """An image's file system under `root`, built by `build(dockerfile)` from `context` with `python`'s virtualenv."""

    def __init__(self, context: Path, root: Path, python: str, build_env: dict[str, str]):
        self.context, self.root = context, root
        self.venv = root / "usr" / "local" / "venv"
        self.python = python
        self.build_env = build_env  # what this machine needs to reach a package index (pip's settings, HOME)
        self.env: dict[str, str] = {"LANG": "C.UTF-8"}
        self.workdir = "/"
        self.cmd: list[str] | None = None
        self.skipped: list[str] = []
        self.base = ""

    def path(self, image_path: str) -> Path:
        """Where a path inside the image is on this machine."""
        absolute = Path(self.workdir, image_path) if not image_path.startswith("/") else Path(image_path)
        return self.root / absolute.relative_to("/")

    def environment(self, **extra: str) -> dict[str, str]:
        return {"PATH": f"{self.venv / 'bin'}:{SYSTEM_PATH}", **self.env, **extra}

    def build(self, dockerfile: str) -> None:
        for step in instructions(dockerfile):
            handler = getattr(self, f"do_{step.keyword.lower()}", None)
            if handler is None:
                raise BuildFailed(f"Dockerfile line {step.line}: {step.keyword} is not something this test can do")
            handler(step)

    def do_from(self, step: Instruction) -> None:
        image, _, tag = step.argument.partition(":")
        version = re.match(r"\d+\.\d+", tag)
        if image != "python" or not version:
            raise BuildFailed(f"Dockerfile line {step.line}: FROM {step.argument}: only python:X.Y is stood in for")
        self.base = version.group()
        python = shutil.which(f"python{self.base}") or self.python
        probe = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True, check=True)
        if probe.stdout.strip() != self.base:
            raise BuildFailed(f"FROM {step.argument}: this machine has no Python {self.base} to stand in for it")
        subprocess.run([python, "-m", "venv", str(self.venv)], check=True, capture_output=True)

    def do_env(self, step: Instruction) -> None:
        self.env.update(env_pairs(step.argument))

    def do_workdir(self, step: Instruction) -> None:
        self.workdir = str(Path(self.workdir, step.argument))
        self.path(".").mkdir(parents=True, exist_ok=True)

    def do_copy(self, step: Instruction) -> None:
        *sources, destination = shlex.split(step.argument)
        if any(source.startswith("--") for source in sources):
            raise BuildFailed(f"Dockerfile line {step.line}: COPY options are not something this test can do")
        target = self.path(destination)
        into_folder = destination.endswith("/") or destination in (".", "./") or len(sources) > 1
        for source in sources:
            origin = self.context / source
            if origin.is_dir():
                shutil.copytree(origin, target, dirs_exist_ok=True)
            elif into_folder:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target / origin.name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target)

    def do_run(self, step: Instruction) -> None:
        command = json.loads(step.argument) if step.argument.startswith("[") else ["/bin/sh", "-c", step.argument]
        if shlex.split(command[-1])[0] in USER_COMMANDS:
            self.skipped.append(f"RUN {step.argument}")
            return
        done = subprocess.run(command, cwd=self.path("."), env=self.environment(**self.build_env),
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise BuildFailed(f"Dockerfile line {step.line}: RUN {step.argument} failed ({done.returncode}):\n"
                              f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}")

    def do_user(self, step: Instruction) -> None:
        self.skipped.append(f"USER {step.argument}")

    def do_expose(self, step: Instruction) -> None:
        pass  # the port a container publishes; the test gives the server a free one instead

    def do_cmd(self, step: Instruction) -> None:
        self.cmd = json.loads(step.argument)


def interpolate(value: str, shell: dict[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}`, `${NAME:?error}` and `$$`, from the shell that runs `docker compose`."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, word = match.group("name"), match.group("op") or "", match.group("word") or ""
        value = shell.get(name)
        unset = value is None or (operator.startswith(":") and value == "")
        if operator.endswith("?") and unset:
            raise BuildFailed(f"compose needs {name}: {word}")
        return word if operator.endswith("-") and unset else value or ""

    return re.sub(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<word>[^}]*))?\}", replace, value)


def service_environment(service: dict, shell: dict[str, str]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(entry.split("=", 1) for entry in environment)
    return {name: interpolate(str(value), shell) for name, value in environment.items()}


def service_command(service: dict, image: Image) -> list[str]:
    command = service.get("command")
    if command is None:
        return list(image.cmd or [])
    return command if isinstance(command, list) else shlex.split(command)


def health_command(service: dict) -> list[str]:
    test = service["healthcheck"]["test"]
    if isinstance(test, str):
        return ["/bin/sh", "-c", test]
    if test[0] == "CMD":
        return test[1:]
    if test[0] == "CMD-SHELL":
        return ["/bin/sh", "-c", test[1]]
    raise BuildFailed(f"healthcheck {test!r}: not a command")


def killpg(process: subprocess.Popen) -> None:
    """Stop the process group `process` leads (it was started in a session of its own), and wait for its leader."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass  # nothing of the group is left
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue
