"""The provenance every benchmark record of the bench scripts starts with (command, date, git revision, cores)."""
import datetime
import os
import subprocess


def provenance(benchmark, command, repo, parameters):
    """The record's opening fields, in the order docs/benchmarks.md describes them."""
    revision = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {
        "benchmark": benchmark,
        "command": command,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_revision": revision or "unknown",
        "cores": os.cpu_count(),
        "parameters": parameters,
    }
