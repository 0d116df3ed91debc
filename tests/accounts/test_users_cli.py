"""`flask users create | list | set-role`."""

from webapp.accounts.service import check_password, find_user


def test_create_reads_the_password_from_stdin(app_context, runner):
    result = runner.invoke(
        args=["users", "create", "mod_one", "--role", "moderator"], input="a long password\n"
    )
    assert result.exit_code == 0, result.output
    assert "created mod_one (moderator)" in result.output
    user = find_user("mod_one")
    assert user.role == "moderator"
    assert check_password(user, "a long password")
    assert not check_password(user, "wrong password")
    assert "a long password" not in user.password_hash


def test_create_has_no_password_option(app_context, runner):
    result = runner.invoke(args=["users", "create", "bob_user", "--password", "secret"], input="x\n")
    assert result.exit_code != 0
    assert find_user("bob_user") is None


def test_create_refuses_short_password_and_duplicates(app_context, runner):
    short = runner.invoke(args=["users", "create", "carol"], input="short\n")
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    runner.invoke(args=["users", "create", "carol"], input="a long password\n")
    again = runner.invoke(args=["users", "create", "Carol"], input="a long password\n")
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_list_and_set_role(app_context, runner):
    assert "no users" in runner.invoke(args=["users", "list"]).output
    runner.invoke(args=["users", "create", "dave_r"], input="a long password\n")
    listed = runner.invoke(args=["users", "list"])
    assert "dave_r\treporter\tactive" in listed.output
    changed = runner.invoke(args=["users", "set-role", "dave_r", "admin"])
    assert changed.exit_code == 0, changed.output
    assert "dave_r: reporter -> admin" in changed.output
    assert find_user("dave_r").role == "admin"
    unknown_role = runner.invoke(args=["users", "set-role", "dave_r", "god"])
    assert unknown_role.exit_code == 2
    missing = runner.invoke(args=["users", "set-role", "nobody", "admin"])
    assert missing.exit_code == 1
    assert "no user called 'nobody'" in missing.output
