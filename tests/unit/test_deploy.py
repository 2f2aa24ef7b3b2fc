"""deploy/replicas.py: what each replica's environment holds, and what the operator is told about keys."""

from pathlib import Path

from deploy.replicas import cloud_key_names, cloud_keys_sentence, replica_environment

SHELL = {"PATH": "/usr/bin", "AZURE_OPENAI_API_KEY": "az-secret", "AZURE_OPENAI_ENDPOINT": "https://x.example",
         "OPENAI_API_KEY": "sk-secret", "OPENAI_BASE_URL": "", "GENLAB_DAILY_BUDGET_USD": "2"}


def test_cloud_keys_reach_the_replicas_only_when_asked() -> None:
    kept = replica_environment(SHELL, "postgresql://db/x", Path("/srv/data"), cloud_keys=True)
    dropped = replica_environment(SHELL, "postgresql://db/x", Path("/srv/data"), cloud_keys=False)
    assert kept["AZURE_OPENAI_API_KEY"] == "az-secret" and kept["OPENAI_API_KEY"] == "sk-secret"
    assert not [k for k in dropped if k.startswith(("AZURE_OPENAI_", "OPENAI_"))]
    for env in (kept, dropped):  # everything else is the same either way
        assert env["PATH"] == "/usr/bin" and env["GENLAB_DAILY_BUDGET_USD"] == "2"
        assert env["DATABASE_URL"] == "postgresql://db/x" and env["GENLAB_DATA_DIR"] == "/srv/data"


def test_extra_variables_win_over_the_shell() -> None:
    env = replica_environment(SHELL, "sqlite:///x", Path("d"), cloud_keys=False,
                              extra={"GENLAB_INSTRUCTOR_PASSCODE": "p", "PATH": "/opt/bin"})
    assert env["GENLAB_INSTRUCTOR_PASSCODE"] == "p" and env["PATH"] == "/opt/bin"


def test_the_operator_is_told_which_keys_by_name_never_by_value() -> None:
    assert cloud_key_names(SHELL) == ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "OPENAI_API_KEY"]
    passed = cloud_keys_sentence(SHELL, passed=True)
    left_out = cloud_keys_sentence(SHELL, passed=False)
    assert passed.startswith("Passing AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, OPENAI_API_KEY to the replicas")
    assert left_out.startswith("Leaving out AZURE_OPENAI_API_KEY")
    for sentence in (passed, left_out):
        assert "secret" not in sentence and "example" not in sentence
    assert "none are passed" in cloud_keys_sentence({"PATH": "/usr/bin"}, passed=True)
