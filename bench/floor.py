"""The framework's floor: a one-command typer app with one option that prints `[]`."""

import typer

app = typer.Typer()


@app.command()
def main(format: str = "json") -> None:
    print("[]")


if __name__ == "__main__":
    app()
