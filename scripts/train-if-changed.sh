#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed; models/current.tar.gz points at the model to run.
# Inputs: config, domain, training data, our NLU component and policy code, and the engine's lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(scripts/inputs-hash.sh config.yml domain.yml data bot policies requirements/engine.txt)
model="models/careline-${hash}.tar.gz"
if [ -f "$model" ]; then
  echo "model up to date: $model"
else
  echo "training the Rasa model ($model), inputs changed..."
  .venv-engine/bin/rasa train --config config.yml --domain domain.yml --data data \
    --out models --fixed-model-name "careline-${hash}"
fi
ln -sfn "careline-${hash}.tar.gz" models/current.tar.gz
# Keep the three newest models so a change back and forth stays fast, and the disk stays tidy.
ls -1t models/careline-*.tar.gz | tail -n +4 | xargs -r rm -f
