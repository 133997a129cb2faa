"""`postcheck train`: rebuild the language models from the repo and ../shared/data."""

from __future__ import annotations

from pathlib import Path

import click

from postcheck.cli.common import Commands

commands = Commands()


@commands.command()
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The shared data folder (default: ../shared/data beside the repo).")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the model files (default: the package's ml/models).")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--judge", "judge_only", is_flag=True,
              help="Train only the judge (data/corpus/splits.yaml) into judge/models/judge.npz.")  # fmt: skip
@click.option("--encoder/--no-encoder", default=False, show_default=True,
              help="Also fine-tune the MiniLM heads (needs postcheck[ml]; minutes on CPU).")  # fmt: skip
def train(data: Path | None, out: Path | None, seed: int, judge_only: bool, encoder: bool) -> None:
    """Rebuild every model file, reproducibly, recording which rows trained it."""
    if judge_only:
        from postcheck.judge import train as judge_train
        from postcheck.judge.model import bundled_path

        judge_train.main(out / "judge.npz" if out else bundled_path(), log=click.echo)
        return
    from postcheck.ml import datasets, linear
    from postcheck.ml import train as train_mod

    data = data or datasets.DEFAULT_DATA
    out = out or linear.bundled_path().parent
    if not (data / "abuse").is_dir():
        raise click.UsageError(f"{data}/abuse not found: pass --data pointing at the shared data folder")
    train_mod.main(data, out, seed, log=click.echo)
    if encoder:
        from postcheck.ml import train_encoder

        rows = train_mod.collect(data)
        tuned = {h: r for h, r in rows.items() if h in train_encoder.HEADS}
        policy = {h: r for h, r in rows.items() if h.startswith("policy_")}
        train_encoder.train(tuned, out, seed, log=click.echo, policy_heads=policy)
