from conftest import Run


def test_spec_examples_as_written(ledger: Run) -> None:
    result = ledger(
        "add",
        "村口路灯不亮",
        "--reporter",
        "张三",
        "--phone",
        "13800000000",
        "--category",
        "基础设施",
        "--channel",
        "talk",
    )
    assert result.exit_code == 0
    assert result.stdout == "1\n"
