"""The CLI gives identical output under the engine env (Python 3.10, Rasa) and the service env (3.11)."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENVS = {"engine": ROOT / ".venv-engine/bin/python", "service": ROOT / ".venv/bin/python"}


def _run(python, lines, *args):
    assert python.exists(), f"missing interpreter {python}: create the env before running this test"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([str(python), "-m", "bot.safeguarding", *args], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def _texts():
    with open(ROOT / "tests/safeguarding/eval.jsonl", encoding="utf-8") as handle:
        return [json.loads(line)["text"].replace("\n", " ") for line in handle if line.strip()]


def test_both_envs_give_identical_output_on_the_eval_texts():
    texts = _texts()
    outputs = {name: _run(python, texts, "--evidence") for name, python in ENVS.items()}
    assert len(outputs["service"]) == len(texts)
    for key in ("escalate", "severity", "categories"):
        assert all(key in json.loads(line) for line in outputs["service"])
    assert outputs["engine"] == outputs["service"]


def test_both_envs_agree_in_conversation_mode():
    lines = ["hi", "he makes me", "do stuff with his mates", "for money", "ok", "someone's outside", "im scared"]
    outputs = {name: _run(python, lines, "--conversation") for name, python in ENVS.items()}
    assert outputs["engine"] == outputs["service"]
    assert json.loads(outputs["service"][3])["severity"] == "high"
    assert json.loads(outputs["service"][6])["severity"] == "critical"
