"""Every sentence a user reads, in Chinese (default) and English.

Error keys come from ``ShuoshiError.key``; parameters are filled in with ``str.format``. Field and
action names used inside messages are translated here too, so the core never holds display text.
"""

from __future__ import annotations

from typing import Any

from shuoshi_cli.core.codes import CORRECTION

ERRORS: dict[str, tuple[str, str]] = {
    "bad_choice": (
        "{field}不能是“{value}”，可选：{choices}",
        "{field} cannot be '{value}'; choose one of: {choices}",
    ),
    "bad_workday_count": (
        "工作日数不能为负数：{value}",
        "a number of working days cannot be negative: {value}",
    ),
    "bad_calendar_line": (
        "节假日文件第 {line} 行看不懂，应为“2027-01-01 休”或“2027-02-07 班”",
        "holiday file line {line} is not 'YYYY-MM-DD 休|班' (holiday|workday)",
    ),
    "calendar_duplicate": (
        "节假日文件第 {line} 行：{day} 已经列过",
        "holiday file line {line}: {day} is listed twice",
    ),
    "calendar_unreadable": (
        "读不了节假日文件 {path}：{reason}",
        "cannot read the holiday file {path}: {reason}",
    ),
    "bad_date": (
        "看不懂日期“{value}”，可写 2026-11-30、2026年11月30日、11月30日、今天、明天、+7d、+2w、+1m、+5wd 或 5个工作日",
        "cannot read the date '{value}'; use 2026-11-30, 2026/11/30, today, tomorrow, +7d, +2w, +1m, +5wd",
    ),
    "no_such_date": ("没有这一天：{value}", "there is no such day: {value}"),
    "bad_month": (
        "看不懂月份“{value}”，应写成 2026-10",
        "cannot read the month '{value}'; write it as 2026-10",
    ),
    "bad_today": (
        "环境变量 SHUOSHI_TODAY 应为 YYYY-MM-DD，现在是“{value}”",
        "SHUOSHI_TODAY must be YYYY-MM-DD, not '{value}'",
    ),
    "empty_field": ("{field}不能为空", "{field} must not be empty"),
    "control_chars": ("{field}含有不可见的控制字符", "{field} contains control characters"),
    "bad_phone": (
        "联系电话格式不对：应为 11 位手机号，或 0 开头带区号的座机号（如 0795-4621234）",
        "invalid phone number: give an 11-digit mobile or a landline with area code (e.g. 0795-4621234)",
    ),
    "future_date": ("日期 {value} 还没到，不能登记未来的事", "{value} is in the future"),
    "future_month": ("{value} 还没到，不能统计未来的月份", "{value} is a future month"),
    "month_and_as_of": ("--month 和 --as-of 只能用一个", "use either --month or --as-of, not both"),
    "before_received": (
        "日期 {value} 早于受理日期 {received}",
        "{value} is before the case was received ({received})",
    ),
    "before_closed": (
        "反馈日期 {value} 早于办结日期 {closed}",
        "feedback date {value} is before the closing date {closed}",
    ),
    "deadline_before_received": (
        "完成时限 {value} 早于受理日期 {received}",
        "deadline {value} is before the case was received ({received})",
    ),
    "before_last_change": (
        "事项 #{id} 最近一次记录在 {last}，不能再登记更早的日期 {value}",
        "case #{id} was last changed on {last}; cannot record an earlier date {value}",
    ),
    "case_closed": (
        "事项 #{id} 已办结，不能{action}；如需继续办理请先 reopen",
        "case #{id} is closed and cannot be {action}; reopen it first",
    ),
    "case_open": (
        "事项 #{id} 还在办理中，不能{action}",
        "case #{id} is still open and cannot be {action}",
    ),
    "nothing_changed": ("事项 #{id} 没有变化", "case #{id}: nothing to change"),
    "close_planned": (
        "销号结果只能是“已解决”或“已解释说明”；列入计划请用 plan 命令",
        "a case closes as resolved or explained; use 'plan' to put it into a plan",
    ),
    "anonymous_with_reporter": (
        "匿名反映不能登记反映人或联系电话",
        "an anonymous case cannot have a reporter name or phone",
    ),
    "bad_area_code": ("统计区划代码应为 12 位数字", "the statistical area code must be 12 digits"),
    "no_case": ("没有编号为 {id} 的事项", "there is no case #{id}"),
    "no_session": ("没有编号为 {id} 的说事活动", "there is no talk session #{id}"),
    "ledger_missing": (
        "找不到台账文件 {path}；新建请用 shuoshi init，或用 --db 指定文件",
        "ledger file {path} not found; create one with 'shuoshi init' or name it with --db",
    ),
    "bad_first_number": (
        "督办函序号应从 1 或更大的数开始",
        "the first letter number must be 1 or more",
    ),
    "bad_min_cases": ("--min-cases 至少为 1", "--min-cases must be at least 1"),
    "reply_before_today": (
        "回复期限 {value} 早于今天",
        "the reply deadline {value} is before today",
    ),
    "letter_exists": (
        "督办函 {path} 已存在，不会覆盖；请换一个文件夹或删除旧文件",
        "letter {path} already exists and was not overwritten; use another folder",
    ),
    "output_exists": (
        "{path} 已存在；要覆盖请加 --force",
        "{path} already exists; add --force to replace it",
    ),
    "deadline_before_letter": (
        "新的完成时限 {value} 早于督办日期 {letter}",
        "the new deadline {value} is before the letter's date {letter}",
    ),
    "session_after_received": (
        "说事活动 #{id} 在 {held} 举行，晚于受理日期 {value}",
        "talk session #{id} was held on {held}, after the case was received ({value})",
    ),
    "backup_exists": (
        "备份文件 {path} 已存在，不会覆盖",
        "backup {path} already exists; it was not overwritten",
    ),
    "nothing_to_erase": (
        "事项 #{id} 没有登记反映人姓名或电话，无需删除",
        "case #{id} holds no reporter name or phone",
    ),
    "needs_yes": (
        "{action}不可撤销；确认无误请加 --yes 再运行",
        "{action} cannot be undone; run it again with --yes",
    ),
    "check_failed": ("台账检查发现 {count} 个问题", "the check found {count} problems"),
    "nothing_to_export": (
        "没有读到任何台账，未生成 Excel",
        "no ledger could be read; no workbook was written",
    ),
    "import_is_dir": (
        "{path} 是文件夹，请给出 .xlsx 文件",
        "{path} is a folder; give an .xlsx file",
    ),
    "xls_old_format": (
        "{path} 是旧版 .xls 文件：请用 Excel 或 WPS 打开后“另存为”.xlsx 再导入",
        "{path} is an old .xls file: open it in Excel or WPS and save it as .xlsx",
    ),
    "xlsx_encrypted": (
        "{path} 设置了打开密码：请在 Excel 或 WPS 中取消密码后另存，再导入",
        "{path} is password-protected: remove the password in Excel or WPS, save, then import",
    ),
    "csv_not_xlsx": (
        "{path} 是 CSV/文本文件：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
        "{path} is a CSV or text file: open it in Excel or WPS and save it as .xlsx",
    ),
    "not_xlsx": (
        "{path} 不是 Excel（.xlsx）文件，或文件已损坏",
        "{path} is not an .xlsx workbook, or it is damaged",
    ),
    "xlsx_too_big": (
        "{path} 解压后有 {size} MB，超过 50 MB 的上限，未导入",
        "{path} unpacks to {size} MB, over the 50 MB limit; not imported",
    ),
    "xlsx_bomb": (
        "{path} 内部压缩比异常（超过 100:1），可能是恶意文件，未导入",
        "{path} has a member compressed more than 100:1 (a zip bomb?); not imported",
    ),
    "import_formula": (
        "这一格是公式，请改成实际的值（复制后“粘贴为数值”）",
        "this cell is a formula; replace it with its value (paste as values)",
    ),
    "import_phone_number": (
        "电话存成了数字格式（可能已丢失开头的 0 或变成科学计数法）：请把该列设为“文本”后重新输入",
        "the phone is stored as a number (leading zeros or digits may be lost): format the column as Text and re-enter it",
    ),
    "import_bad_date": ("看不懂日期“{value}”", "cannot read the date '{value}'"),
    "import_missing_received": ("缺少受理日期", "the received date is missing"),
    "import_bad_yes_no": (
        "应填“是”或“否”，不是“{value}”",
        "expected 是 or 否 (yes/no), not '{value}'",
    ),
    "import_closed_without_date": (
        "填了办理结果类型、反馈或满意度，但没有办结日期",
        "outcome, feedback or satisfaction given without a closing date",
    ),
    "import_duplicate_row": ("与前面某一行完全相同", "this row repeats an earlier one"),
    "import_no_sheet": (
        "找不到台账表头（至少要有“反映事项”和另外两列常用表头）",
        "no ledger headings found (need 反映事项 and two other usual headings)",
    ),
    "import_refused": (
        "发现 {count} 个问题，未导入任何事项；改正后重新导入",
        "{count} problems found; nothing was imported. Fix them and import again",
    ),
    "not_a_dump": (
        "这不是 shuoshi dump 生成的 JSON 文件",
        "this is not a JSON file written by shuoshi dump",
    ),
    "dump_schema": (
        "dump 的格式版本 {version} 不受支持（本程序支持 1 到 {latest}）",
        "dump format {version} is not supported (1 to {latest})",
    ),
    "dump_table": ("dump 中的 {table} 部分不完整", "the dump's {table} section is malformed"),
    "dump_row": (
        "备份文件第 {row} 行（{table} 表）有误：{reason}",
        "row {row} of table {table} in the dump is not valid: {reason}",
    ),
    "dump_rejected": ("dump 内容不合规：{reason}", "the dump was rejected: {reason}"),
    "dump_inconsistent": (
        "dump 的内容前后不一致（{count} 处），未建立台账",
        "the dump is inconsistent ({count} problems); no ledger was created",
    ),
    "output_is_ledger": (
        "{path} 是一本台账，不能被导出的文件覆盖",
        "{path} is a ledger; an export never replaces one",
    ),
    "copy_of": (
        "与 {other} 是同一本台账（备份或副本），不重复统计",
        "a copy of the same ledger as {other}; not counted twice",
    ),
    "no_such_sheet": (
        "没有名为“{sheet}”的工作表（有：{sheets}）",
        "there is no sheet '{sheet}' (there are: {sheets})",
    ),
    "bad_encoding": (
        "{field}含有无法识别的字符（终端编码不是 UTF-8？）",
        "{field} contains bytes that are not text (is the terminal UTF-8?)",
    ),
    "path_missing": ("找不到 {path}", "{path} does not exist"),
    "ledger_is_dir": ("{path} 是文件夹，不是台账文件", "{path} is a folder, not a ledger file"),
    "ledger_exists": (
        "台账文件 {path} 已存在，不会覆盖",
        "ledger file {path} already exists; it was not overwritten",
    ),
    "folder_missing": ("文件夹不存在：{path}", "folder does not exist: {path}"),
    "not_a_ledger": (
        "{path} 不是说事台账文件，未做任何改动",
        "{path} is not a shuoshi ledger; it was left untouched",
    ),
    "newer_format": (
        "{path} 由更新版本的 shuoshi 写入（格式 {version}，本程序支持到 {latest}），请升级 shuoshi；文件未改动",
        "{path} was written by a newer shuoshi (format {version}, this one reads up to {latest}); upgrade shuoshi. The file was not changed",
    ),
    "corrupt": (
        "台账文件 {path} 已损坏或不完整，未做任何改动；请用备份恢复",
        "ledger {path} is damaged; it was not changed. Restore it from a backup",
    ),
    "wal_mode": (
        "台账文件 {path} 处于 WAL 模式，单独拷贝会丢数据；未做任何改动",
        "ledger {path} is in WAL mode, which is unsafe to copy alone; it was not changed",
    ),
    "migration_failed": (
        "台账 {path} 升级失败，已原样保留（升级前的备份在 {path}.v{version}.bak）",
        "upgrading {path} failed; it was left as it was (a backup is at {path}.v{version}.bak)",
    ),
    "unexpected_schema": (
        "台账文件 {path} 含有 shuoshi 不会创建的触发器或视图，可能被改动过；未做任何改动",
        "ledger {path} contains triggers or views that shuoshi never creates; it was refused untouched",
    ),
    "interrupted_write": (
        "台账 {path} 上次写入被中断，需要恢复：请在村里用 shuoshi 打开一次（如 shuoshi --db {path} list）即可自动恢复；旁边的 -journal 文件是恢复所需，切勿删除",
        "ledger {path} has an interrupted write: open it once with shuoshi where it is kept (e.g. shuoshi --db {path} list) to recover it; the -journal file beside it is needed for that, never delete it",
    ),
    "busy": (
        "台账 {path} 正被他人使用，请稍后再试",
        "the ledger {path} is in use; try again shortly",
    ),
    "read_only": (
        "台账 {path}（或它所在的文件夹）是只读的，不能写入",
        "the ledger {path} (or its folder) is read-only",
    ),
    "disk_full": (
        "磁盘已满，台账 {path} 未改动",
        "the disk is full; the ledger {path} was not changed",
    ),
    "cannot_open": ("打不开台账 {path}", "cannot open the ledger {path}"),
    "os_error": ("读写 {path} 出错：{reason}", "cannot read or write {path}: {reason}"),
    "title_missing": (
        '请写上反映事项，例如：shuoshi add "村口路灯不亮"',
        'give the matter\'s title, e.g. shuoshi add "Street light out"',
    ),
    "entry_problem": ("第 {number} 件：{problem}", "entry {number}: {problem}"),
    "internal_error": (
        "程序内部出错（{kind}），台账未改动；详细记录已写入 {log}",
        "internal error ({kind}); the ledger was not changed. Details were written to {log}",
    ),
    # --- errors: corrections, void, events (issue 11)
    "case_void": (
        "事项 #{id} 已作废；如属误作废请先 restore",
        "case #{id} is void; restore it first if that was a mistake",
    ),
    "not_void": ("事项 #{id} 未作废", "case #{id} is not void"),
    "no_duplicate": ("没有可对应的重复事项 #{id}", "there is no case #{id} for it to duplicate"),
    "feedback_recorded": (
        "事项 #{id} 已登记过反馈；如需更正满意度请加 --correct --reason",
        "case #{id} already has its feedback; to change the answer use --correct --reason",
    ),
    "no_feedback": ("事项 #{id} 还没有登记反馈", "case #{id} has no feedback to correct"),
    "correct_needs_answer": (
        "更正反馈需要给出新的满意度（--satisfaction）",
        "a correction needs the new answer (--satisfaction)",
    ),
    "received_after_event": (
        "受理日期 {value} 晚于该事项 {first} 的办理记录",
        "received date {value} is after the case's entry of {first}",
    ),
    "same_level": (
        "事项 #{id} 已在{level}办理，办理层级没有变化",
        "case #{id} is already handled at {level}; nothing to change",
    ),
    "deadline_before_reopen": (
        "新的完成时限 {value} 早于重新办理日期 {reopened}",
        "the new deadline {value} is before the day the case was reopened ({reopened})",
    ),
    "letter_recorded": (
        "事项 #{id} 已登记过督办函 {letter}",
        "letter {letter} is already recorded on case #{id}",
    ),
    # --- errors: screens and finding (issue 11)
    "bad_case_ref": (
        "看不懂事项编号“{value}”，可写 4、#4 或 {village}#4",
        "cannot read the case number '{value}'; write 4, #4 or {village}#4",
    ),
    "other_village": (
        "本台账是{village}的，没有{value}；请用 --db 打开{other}的台账",
        "this is {village}'s ledger, which has no {value}; open {other}'s ledger with --db",
    ),
    "bad_due_within": (
        "看不懂期限“{value}”，可写 3wd（3个工作日）、5d（5天）、1w（1周）或某一天（如 12月5日）",
        "cannot read the period '{value}'; write 3wd (working days), 5d (days), 1w (weeks) or a day",
    ),
    # --- errors: letters (issue 14)
    "bad_prefix": (
        "督办函号前缀“{prefix}”看不懂：只能用 {{township}}（乡镇名）和 {{year}}（年份）两个占位符",
        "cannot read the letter number prefix '{prefix}': the only placeholders are {{township}} "
        "and {{year}}",
    ),
    "prefix_needs_township": (
        "这次要给 {count} 个乡镇（{townships}）的村发督办函，各乡镇编号各成系列：--prefix 要写 "
        "{{township}}（如 {{township}}督〔{{year}}〕），或按乡镇分别生成",
        "letters go out from {count} townships ({townships}), each numbering its own series: "
        "put {{township}} in --prefix (e.g. {{township}}督〔{{year}}〕) or run once per township",
    ),
    "first_needs_one_township": (
        "--first 只能在只给一个乡镇的村发督办函时使用，这次有 {count} 个（{townships}）",
        "--first applies only when letters go out from one township; these come from {count} "
        "({townships})",
    ),
    "letter_number_used": (
        "督办函号 {prefix}{first}号 可能重号：台账或 {folder} 中已用到 {prefix}{last}号；"
        "不写 --first 将从 {next}号 接着编",
        "letter number {prefix}{first}号 may already be taken: the ledgers or {folder} already "
        "reach {prefix}{last}号; without --first numbering continues at {next}",
    ),
    # --- errors: replies (issue 14)
    "reply_empty": ("回复内容不能为空", "the reply must not be empty"),
    "reply_no_letters": (
        "事项 #{id} 还没有登记过督办函，无法登记对 {letter} 的回复；请先用 supervise --letter 登记督办函",
        "case #{id} has no supervision letter recorded, so there is no {letter} to reply to; "
        "record the letter first with supervise --letter",
    ),
    "reply_no_letter": (
        "事项 #{id} 没有登记过督办函 {letter}（已登记：{letters}）",
        "case #{id} has no letter {letter} (recorded: {letters})",
    ),
    "reply_recorded": (
        "事项 #{id} 的督办函 {letter} 已于 {date} 登记过回复；每封督办函只登记一次回复",
        "letter {letter} on case #{id} already has its reply ({date}); a letter's reply is "
        "recorded once",
    ),
    "reply_before_letter": (
        "回复日期 {value} 早于督办函 {letter} 的日期 {sent}",
        "the reply date {value} is before letter {letter} was sent ({sent})",
    ),
    "reply_with_letter_options": (
        "登记回复时不能同时给 --due 或 --date（它们属于新登记的督办函）；回复日期请用 --reply-date",
        "--due and --date belong to a new letter, not to a reply; give the reply's date with "
        "--reply-date",
    ),
    "reply_date_without_reply": (
        "--reply-date 要和 --reply 一起使用",
        "--reply-date goes with --reply",
    ),
    # --- errors: copies and merge (issue 14)
    "diverged_copy": (
        "{path} 与 {other} 是同一本台账的两份副本，分开后两份都写入了新内容"
        "（{path}：{new} 件事项是对方没有的，{changed} 件事项有对方没有的记录，{sessions} 次说事活动对方没有；"
        "{other}：{other_new} 件、{other_changed} 件、{other_sessions} 次）；两份都未计入，"
        "请先用 shuoshi --db {path} merge {other} 合并（再反过来合并一次，两份就一致了）",
        "{path} and {other} are two copies of one ledger, both written since they parted "
        "({path}: {new} cases the other lacks, {changed} cases with entries the other lacks, "
        "{sessions} talk sessions the other lacks; {other}: {other_new}, {other_changed}, "
        "{other_sessions}); neither is counted. Join them with shuoshi --db {path} merge {other} "
        "(and the other way round, so both copies agree)",
    ),
    "same_copy": (
        "与 {other} 内容相同，是同一本台账的副本，不重复统计",
        "the same as {other} (a copy of one ledger); not counted twice",
    ),
    "older_copy": (
        "是 {other} 的旧副本，内容 {other} 都有，不重复统计",
        "an older copy of {other} (which holds all it has); not counted twice",
    ),
    "merge_same_file": (
        "{path} 就是 --db 指定的这本台账，无需合并",
        "{path} is the --db ledger itself; there is nothing to merge",
    ),
    "merge_other_ledger": (
        "{path} 是另一本台账（{theirs}），不是本台账（{ours}）的副本，不能合并；未做任何改动",
        "{path} is another ledger ({theirs}), not a copy of this one ({ours}); nothing was merged",
    ),
    "merge_other_damaged": (
        "{path} 没有通过台账检查（可能被改动过），不能合并；可用 shuoshi --db {path} check 查看；未做任何改动",
        "{path} does not pass the ledger check (it may have been tampered with); nothing was "
        "merged. See shuoshi --db {path} check",
    ),
    "merge_conflict": (
        "两份台账中事项 #{id} 的记录合在一起互相矛盾（如一份改为匿名、另一份改了反映人），"
        "未做任何改动；请先在其中一份更正，使两份一致，再合并",
        "the two copies' entries for case #{id} contradict each other (one made it anonymous, the "
        "other changed its reporter, say); nothing was merged. Correct one copy to agree, then "
        "merge",
    ),
    # --- errors: workbook and public (issue 14)
    # --- errors: periods and reproducible reports (issue 13)
    "bad_period": (
        "看不懂期间“{value}”，可写 2026-Q4（季度）、2026（全年）或 2026-10（月份）",
        "cannot read the period '{value}'; write 2026-Q4 (a quarter), 2026 (a year) or 2026-10",
    ),
    "future_period": ("{value} 还没开始，不能统计未来的期间", "{value} has not begun yet"),
    "period_options": (
        "--month、--as-of、--period、--from 只能用一个",
        "use only one of --month, --as-of, --period and --from",
    ),
    "to_without_from": ("--to 要和 --from 一起用", "--to needs --from"),
    "range_backwards": (
        "起始日 {start} 晚于截止日 {end}",
        "the range starts ({start}) after it ends ({end})",
    ),
    "known_by_letters": (
        "--known-by 用来重现过去的报告，不能同时用 --letters 发督办函",
        "--known-by reproduces a past report; it cannot be used with --letters",
    ),
    "known_by_needs_period": (
        "--known-by 要和 --month、--period 或 --from 一起用",
        "--known-by needs --month, --period or --from",
    ),
    "future_day": (
        "{value} 还没到，不能统计未来的日子",
        "{value} is in the future: there is nothing to count yet",
    ),
    "bad_moment": (
        "看不懂时刻“{value}”，可写 2026-11-02（当天结束）或 2026-11-02 18:00",
        "cannot read the moment '{value}'; write 2026-11-02 (its end) or 2026-11-02 18:00",
    ),
    # --- errors: input, language, files (issue 11)
    "not_utf8": (
        "{option} 含有不是 UTF-8 编码的字节（终端或文件是 GBK？请改用 UTF-8）",
        "{option} contains bytes that are not UTF-8 (a GBK terminal or file?); use UTF-8",
    ),
    "stdin_not_utf8": (
        "输入的第 {line} 行不是 UTF-8 编码（GBK 文件请先另存为 UTF-8）",
        "input line {line} is not UTF-8 (save a GBK file as UTF-8 first)",
    ),
    "file_not_utf8": (
        "{path} 不是 UTF-8 编码的文本（GBK 文件请先另存为 UTF-8）",
        "{path} is not UTF-8 text (save a GBK file as UTF-8 first)",
    ),
    "date_too_far": (
        "日期“{value}”太远了：天数、周数、月数或工作日数最多 9999",
        "the date '{value}' is too far away: at most 9999 days, weeks, months or working days",
    ),
    "db_is_folder": (
        "--db {path} 指的是文件夹；请写出台账文件名，如 {path}村名.db",
        "--db {path} names a folder; give the ledger's file name, e.g. {path}village.db",
    ),
    "usage_no_such_option": ("没有 {name} 这个选项", "no such option: {name}"),
    "usage_did_you_mean": ("{problem}；是不是 {names}？", "{problem}; did you mean {names}?"),
    "usage_no_such_command": ("没有 {name} 这个命令", "no such command: {name}"),
    "usage_missing_command": ("缺少命令", "missing command"),
    "usage_missing_argument": ("缺少参数 {name}", "missing argument {name}"),
    "usage_missing_option": ("缺少选项 {name}", "missing option {name}"),
    "usage_needs_value": ("选项 {name} 后面要写一个值", "option {name} needs a value"),
    "usage_takes_no_value": ("选项 {name} 后面不能写值", "option {name} does not take a value"),
    "usage_extra_arguments": ("多出了参数 {args}", "unexpected extra argument(s): {args}"),
    "usage_not_a_number": (
        "{name} 应为整数，不能是“{value}”",
        "{name} must be a whole number, not '{value}'",
    ),
    "usage_bad_value": ("{name} 的值不对：{detail}", "invalid value for {name}: {detail}"),
    "usage_bad_lang": (
        "--lang 只能是 zh 或 en，不能是“{value}”",
        "--lang must be zh or en, not '{value}'",
    ),
    "usage_other": ("用法不对：{detail}", "usage error: {detail}"),
    # --- issue 12: import ---
    "import_duplicate_number": (
        "编号“{number}”与第 {other} 行重复",
        "case number '{number}' repeats row {other}",
    ),
    "import_no_table": (
        "找不到台账表头：工作表“{sheet}”里有 {found}，还缺“{missing}”（或同义的表头）",
        "no ledger table found: sheet '{sheet}' has {found} and still needs {missing} (or a synonym)",
    ),
    "import_sheet_no_table": (
        "工作表“{sheet}”里找不到台账表头",
        "sheet '{sheet}' has no ledger headings",
    ),
    "import_export_others": (
        "这是 shuoshi 导出的台账，含其他村的工作表（{sheets}）：只导入本村请加 --sheet {mine}",
        "this workbook was exported by shuoshi and holds other villages' sheets ({sheets}); "
        "import this village's with --sheet {mine}",
    ),
    "import_export_other_sheet": (
        "工作表“{sheet}”是其他村的（本台账是{village}），不导入",
        "sheet '{sheet}' belongs to another village (this ledger is {village}); not imported",
    ),
}

FIELDS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "uid": ("唯一标识", "UID"),
    "village": ("村", "village"),
    "title": ("反映事项", "title"),
    "detail": ("详细内容", "detail"),
    "kind": ("类型", "kind"),
    "category": ("类别", "category"),
    "channel": ("渠道", "channel"),
    "reporter": ("反映人", "reporter"),
    "phone": ("联系电话", "phone"),
    "anonymous": ("匿名", "anonymous"),
    "received_on": ("受理日期", "received"),
    "session": ("说事活动", "session"),
    "owner": ("领办责任人", "owner"),
    "deadline": ("完成时限", "deadline"),
    "level": ("办理层级", "level"),
    "status": ("状态", "status"),
    "outcome": ("办理结果类型", "outcome"),
    "result": ("办理结果", "result"),
    "closed_on": ("办结日期", "closed on"),
    "feedback_on": ("反馈日期", "feedback on"),
    "satisfaction": ("满意度", "satisfaction"),
    "plan": ("计划", "plan"),
    "void_reason": ("作废理由", "void because"),
    "duplicate_of": ("重复于", "duplicate of"),
    "supervisions": ("督办", "supervisions"),
    "note": ("办理情况", "note"),
    "supervision": ("督办函", "supervision letter"),
    "reply": ("督办回复", "reply to a letter"),
    "erasure": ("删除个人信息", "personal data erased"),
    "reason": ("理由", "reason"),
    "letter": ("督办函号", "letter number"),
    "date": ("日期", "date"),
    "village_name": ("村（社区）", "village"),
    "township": ("乡镇", "township"),
    "county": ("县", "county"),
}

ACTIONS: dict[str, tuple[str, str]] = {
    "assign": ("指派", "assigned"),
    "plan": ("列入计划", "planned"),
    "escalate": ("上报", "escalated"),
    "close": ("再次销号", "closed"),
    "supervise": ("督办", "supervised"),
    "reopen": ("重新打开", "reopened"),
    "feedback": ("登记反馈", "given feedback"),
}

TEXT: dict[str, tuple[str, str]] = {
    "added": ("已登记 #{id}：{title}", "registered #{id}: {title}"),
    "assigned": ("#{id} 领办责任人：{owner}{due}", "#{id} owner: {owner}{due}"),
    "due_suffix": ("，完成时限 {deadline}（{weekday}）", ", due {deadline} ({weekday})"),
    "noted": ("#{id} 已记录办理情况", "#{id}: note recorded"),
    "planned": ("#{id} 已列入计划{due}", "#{id} planned{due}"),
    "escalated": ("#{id} 已上报{level}{due}", "#{id} escalated to {level}{due}"),
    "closed": (
        "#{id} 已销号（{outcome}），办结日期 {closed_on}",
        "#{id} closed ({outcome}) on {closed_on}",
    ),
    "reopened": ("#{id} 已重新打开", "#{id} reopened"),
    "fed_back": (
        "#{id} 已登记反馈 {feedback_on}{satisfaction}",
        "#{id} feedback recorded {feedback_on}{satisfaction}",
    ),
    "supervised": (
        "#{id} 已登记督办函 {letter}{due}",
        "#{id} supervision letter {letter} recorded{due}",
    ),
    "initialised": (
        "已新建台账 {path}：{county}{township}{village}",
        "created ledger {path} for {village}, {township}, {county}",
    ),
    "session_added": ("已登记说事活动 #{id}", "talk session #{id} recorded"),
    "no_cases": ("没有符合条件的事项", "no matching cases"),
    "no_sessions": ("还没有说事活动", "no talk sessions yet"),
    "no_history": ("没有记录", "no history"),
    "weekday_calendar": (
        "注意：{years}年还没有官方节假日数据，工作日暂按周一至周五计算；节假日公布后可用 SHUOSHI_CALENDAR 文件补充（见 README）",
        "note: no official holiday data for {years}; working days counted Monday-Friday. Supply the year's holidays with a SHUOSHI_CALENDAR file (see README)",
    ),
    "unknown_category": (
        "提示：类别“{category}”不在本村类别清单中（{known}）",
        "note: category '{category}' is not in this village's list ({known})",
    ),
    "overdue_days": ("超期{days}天", "{days} days overdue"),
    "created": ("登记", "created"),
    "erased": ("已删除", "erased"),
    "list_title": ("{village} 事项（{count} 件）", "{village}: {count} cases"),
    "history_title": ("#{id} 办理记录", "history of #{id}"),
    "sessions_title": ("说事活动", "talk sessions"),
    "at": ("记录时间", "recorded at"),
    "effective": ("生效日期", "effective"),
    "user": ("操作人", "by"),
    "field": ("事项", "field"),
    "old": ("原值", "old"),
    "new": ("新值", "new"),
    "note_col": ("说明", "note"),
    "held_on": ("日期", "date"),
    "place": ("说事点", "place"),
    "topic": ("主题", "topic"),
    "host": ("主持人", "host"),
    "state": ("办理情况", "state"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "stats_title": ("事项办理统计（{start} 至 {end}）", "case figures ({start} to {end})"),
    "rank": ("名次", "rank"),
    "group": ("分组", "group"),
    "total": ("应办(结转+新)", "cases (old+new)"),
    "total_breakdown": ("{total} ({carried}+{received})", "{total} ({carried}+{received})"),
    "closeout": ("销号率", "close-out"),
    "feedback_rate": ("反馈率", "feedback"),
    "satisfaction_rate": ("满意率", "satisfaction"),
    "ontime_rate": ("按时率", "on time"),
    "avg_days": ("平均天数", "avg days"),
    "overdue_col": ("超期", "overdue"),
    "closed_late_col": ("超期办结", "closed late"),
    "escalated_col": ("上报", "escalated"),
    "supervised_col": ("督办", "supervised"),
    "resolved_col": ("已解决", "resolved"),
    "planned_col": ("计划/在办", "planned/open"),
    "explained_col": ("已解释", "explained"),
    "unranked": ("不足{n}件", "<{n} cases"),
    "sum_row": ("合计", "total"),
    "overdue_title": ("截至 {day} 超期未办结事项（{count} 件）", "overdue as of {day} ({count})"),
    "closed_late_title": (
        "{period}超期办结事项（{count} 件）",
        "closed late in {period} ({count})",
    ),
    "days_overdue": ("超期天数", "days overdue"),
    "days_late": ("超期天数", "days late"),
    "skipped": ("提示：跳过 {path}（{reason}）", "note: skipped {path} ({reason})"),
    "unreadable": ("错误：{path} 读取失败：{reason}", "error: could not read {path}: {reason}"),
    "no_ledgers": ("提示：没有找到台账文件", "note: no ledger files found"),
    "older_ledgers": (
        "提示：{count} 个台账是旧版格式，每次统计都要先在内存中升级（结果不变，但较慢）；"
        "村里下次登记时会自动升级，也可用 shuoshi --db 文件 check 升级（先留 .bak 备份）",
        "note: {count} ledgers are in an older format and are upgraded in memory on every read "
        "(same figures, slower); the village's next entry upgrades the file, as does "
        "shuoshi --db FILE check (keeping a .bak copy)",
    ),
    "letter_written": (
        "已生成督办函 {letter}（{village}）：{path}",
        "wrote letter {letter} ({village}): {path}",
    ),
    "exported": (
        "已导出 {path}：{villages} 个村，{cases} 件事项",
        "wrote {path}: {villages} villages, {cases} cases",
    ),
    "erased_done": (
        "#{id} 的反映人姓名和电话已从台账和办理记录中删除",
        "#{id}: reporter name and phone erased from the case and its history",
    ),
    "backup_done": ("已备份到 {path}", "backed up to {path}"),
    "template_written": ("已生成导入模板 {path}", "wrote the import template {path}"),
    "import_where": (
        "工作表“{sheet}”第 {row} 行【{column}】：",
        "sheet '{sheet}' row {row} [{column}]: ",
    ),
    "import_where_row": ("工作表“{sheet}”第 {row} 行：", "sheet '{sheet}' row {row}: "),
    "dumped": ("已导出 {path}", "wrote {path}"),
    "loaded": (
        "已由 dump 建立台账 {path}：{cases} 件事项",
        "created {path} from the dump: {cases} cases",
    ),
    "basis_official": ("按国家法定节假日", "official calendar"),
    "basis_user": ("按用户节假日文件", "user holiday file"),
    "basis_weekdays": ("按周一至周五", "Monday-Friday"),
    # --- texts: corrections, void, events (issue 11)
    "possible_duplicate": (
        "提示：#{id} 可能与 {others} 重复（同一反映人或电话、相近的事项）；如确属重复可用 void {id} --duplicate-of N 作废",
        "note: #{id} may repeat {others} (same reporter or phone, a similar title); "
        "if so, void {id} --duplicate-of N",
    ),
    "edit_done": (
        "#{id} 已更正（原值留在办理记录里）",
        "#{id} corrected (history keeps the old values)",
    ),
    "void_done": ("#{id} 已作废", "#{id} is void"),
    "restore_done": ("#{id} 已恢复", "#{id} restored"),
    # --- texts: screens and finding (issue 11)
    "short_received": ("受理", "received"),
    "short_owner": ("责任人", "owner"),
    "short_deadline": ("时限", "due"),
    "short_level": ("层级", "level"),
    "short_effective": ("生效", "effective"),
    "short_days": ("天数", "days"),
    "short_closed_on": ("办结", "closed"),
    "short_sent_on": ("督办", "sent"),
    "short_reply_on": ("回复", "replied"),
    "short_state": ("现状", "now"),
    "progress_title": ("办理经过", "progress"),
    "progress_what": ("记录", "entry"),
    "progress_text": ("内容", "text"),
    "letter_due": ("{letter}，完成时限改为 {deadline}", "{letter}; new deadline {deadline}"),
    "stats_more_title": ("办结天数、超期与办理结果", "days to close, lateness and outcomes"),
    "change": ("原值 → 新值", "old → new"),
    "short_total": ("应办(旧+新)", "cases (old+new)"),
    "state_void": ("已作废", "void"),
    # --- texts: letters (issue 14)
    # --- texts: replies (issue 14)
    "reply_done": (
        "#{id} 已登记督办函 {letter} 的回复（{reply_on}）",
        "#{id}: reply to letter {letter} recorded ({reply_on})",
    ),
    "replies_title": (
        "{start} 至 {end} 的督办函（{count} 件，已回复 {replied} 件）",
        "supervision letters {start} to {end} ({count}, {replied} replied)",
    ),
    "replies_none": ("这段时间没有登记督办函", "no supervision letters recorded in the period"),
    "replies_sent_on": ("督办日期", "sent"),
    "replies_new_due": ("新完成时限", "new deadline"),
    "replies_reply_on": ("回复日期", "replied"),
    "replies_reply": ("回复情况", "reply"),
    "replies_unanswered": ("未回复", "no reply"),
    # --- texts: copies and merge (issue 14)
    "diverged": ("错误：{reason}", "error: {reason}"),
    "merged": (
        "已从 {other} 合并 {entries} 条记录：新增事项 {new} 件，补上记录的事项 {changed} 件，"
        "新增说事活动 {sessions} 次",
        "merged {entries} entries from {other}: {new} new cases, {changed} cases with entries "
        "added, {sessions} new talk sessions",
    ),
    "merged_nothing": (
        "{other} 中没有本台账缺少的内容，未做改动",
        "{other} holds nothing this ledger lacks; nothing was changed",
    ),
    "merged_renumbered": (
        "提示：{other} 中的 #{old} 在本台账编为 #{id}（原编号已被占用）",
        "note: {other}'s #{old} is #{id} here (its number was taken)",
    ),
    "merged_review": (
        "提示：{ids} 在两份台账分开后都有新记录，请用 show 核对合并后的办理情况",
        "note: {ids} were written to in both copies after they parted; check them with show",
    ),
    # --- texts: workbook and public (issue 14)
    # --- texts: periods and reproducible reports (issue 13)
    "reopen_lapsed": (
        "提示：原完成时限 {deadline} 已过，重新办理期间不按它计算超期；请用 assign --due 给新的完成时限",
        "note: the deadline {deadline} has passed; the reopened case is not late on it: give a "
        "new one with assign --due",
    ),
    "late_title": (
        "期末后补录或追溯修改的记录（{count} 条）",
        "entries recorded after the period ended ({count})",
    ),
    "late_field": ("改了什么", "field"),
    "late_registered": ("补录事项", "registered late"),
    "changed_total": ("应办", "cases"),
    "closed_col": ("已销号", "closed"),
    "late_change": ("原值 → 新值", "old → new"),
    "late_effective": ("生效日期", "effective"),
    "late_user": ("登记人", "by"),
    "late_at": ("登记时间", "recorded"),
    "late_personal": ("（个人信息，不显示）", "(personal data, not shown)"),
    "late_count": (
        "注意：本期结束后又补录或追溯修改了 {count} 条本期的记录，本期数字已随之改变"
        "（明细见 --json 或 export 导出的台账）",
        "note: {count} entries about this period were recorded after it ended and changed its "
        "figures (listed by --json and in the exported workbook)",
    ),
    "known_by_later": (
        "注意：{moment} 之后又登记了 {count} 条本期的补录或追溯修改，不在此报告中",
        "note: {count} entries about this period were recorded after {moment}; this report "
        "leaves them out",
    ),
    "known_by_changed": (
        "它们使本期数字变为：{changes}",
        "with them the figures are now: {changes}",
    ),
    "sessions_col": ("说事(事项)", "sessions (raised)"),
    "trend_title": (
        "{period}逐月统计（{start} 至 {end}，各月各自口径）",
        "{period} month by month ({start} to {end}, each month its own scope)",
    ),
    "month_col": ("月份", "month"),
    "trend_bar": ("销号率走势", "close-out"),
    "trend_groups_title": ("各组逐月销号率", "close-out rate month by month, per group"),
    "trend_spark": ("逐月", "by month"),
    "trend_last": ("最后一月销号率", "last month"),
    # --- issue 13: session list ---
    "sessions_period_title": ("{period}说事活动", "talk sessions, {period}"),
    "sessions_raised": ("事项数", "raised"),
    "sessions_total": (
        "{count} 次说事活动，提出事项 {raised} 件",
        "talk sessions: {count}, matters raised at them: {raised}",
    ),
    "no_sessions_in_period": ("{period}没有说事活动", "no talk sessions in {period}"),
    # --- texts: input, language, files (issue 11)
    "today_after_clock": (
        "注意：SHUOSHI_TODAY 设为 {today}，晚于电脑日期 {clock}",
        "note: SHUOSHI_TODAY is {today}, later than the computer's date {clock}",
    ),
    "usage_prefix": ("用法：", "Usage: "),
    "usage_hint": ("查看帮助：{command} -h", "Try '{command} -h' for help."),
    "help_arguments": ("参数", "Arguments"),
    "help_options": ("选项", "Options"),
    "help_commands": ("命令", "Commands"),
    "help_help": ("显示本帮助并退出。", "Show this message and exit."),
    "help_default": ("默认", "default"),
    "help_env": ("环境变量", "env var"),
    "help_required": ("必填", "required"),
    "help_example": ("例：", "Example: "),
    "errno_EISDIR": ("这是一个文件夹", "it is a folder"),
    "errno_ENOTDIR": ("路径中有一段不是文件夹", "part of the path is not a folder"),
    "errno_ENOENT": ("文件或文件夹不存在", "no such file or folder"),
    "errno_EEXIST": ("已经存在", "it already exists"),
    "errno_EROFS": ("磁盘是只读的", "the disk is read-only"),
    "errno_ENOSPC": ("磁盘已满", "the disk is full"),
    "errno_EDQUOT": ("超出了磁盘配额", "the disk quota is used up"),
    "errno_EACCES": ("没有权限", "permission denied"),
    "errno_EPERM": ("不允许这样操作", "operation not permitted"),
    "errno_EIO": (
        "磁盘读写出错（U 盘被拔出？）",
        "the disk failed to read or write (a USB stick removed?)",
    ),
    "errno_ENAMETOOLONG": ("文件名太长", "the file name is too long"),
    "errno_EINVAL": (
        "文件名无效（含有不允许的字符？）",
        "the file name is not valid (a character not allowed?)",
    ),
    "errno_EBUSY": ("文件正被其他程序使用", "the file is in use by another program"),
    "errno_ETXTBSY": ("文件正被其他程序使用", "the file is in use by another program"),
    "errno_EMFILE": ("打开的文件太多", "too many open files"),
    "errno_ELOOP": ("符号链接循环", "too many levels of symbolic links"),
    # --- issue 12: import ---
    "import_summary": (
        "读到 {rows} 行（工作表：{sheets}）：新增 {new} 件，未变 {unchanged} 件，"
        "有变化 {changed} 件，跳过 {skipped} 行",
        "{rows} rows read ({sheets}): {new} new, {unchanged} unchanged, {changed} changed, "
        "{skipped} skipped",
    ),
    "import_skipped": ("  跳过：{reasons}", "  skipped: {reasons}"),
    "import_skip_placeholder": (
        "无事项（无、无诉求）{count} 行",
        "{count} with no matter (无, 无诉求)",
    ),
    "import_skip_returned": ("退单 {count} 行", "{count} returned orders (退单)"),
    "import_skip_other_village": ("其他村 {count} 行", "{count} of other villages"),
    "import_skip_repeated": (
        "在后面的工作表中重复 {count} 行",
        "{count} repeated on a later sheet",
    ),
    "import_other_villages": (
        "  其他村的行未导入：{villages}",
        "  other villages' rows not imported: {villages}",
    ),
    "import_village_rows": ("{name} {count} 行", "{name} {count}"),
    "import_layout": (
        "  另有 {count} 行是合计、落款或说明，已略过",
        "  {count} form rows (totals, signatures, notes) left out",
    ),
    "import_changed_pending": (
        "  有变化，加 --update 按表中日期登记：",
        "  changed; add --update to record them on their dates:",
    ),
    "import_changed_done": ("  已按表中日期登记：", "  recorded on their dates:"),
    "import_changed_line": ("    {where}#{id} {what}", "    {where}#{id} {what}"),
    "import_change_close": ("办结 {date}", "closed {date}"),
    "import_change_feedback": ("回访 {date}", "feedback {date}"),
    "import_differs": (
        "  与台账不一致（导入不改；如需更正用 edit 或 reopen）：",
        "  differ from the ledger (import changes nothing; use edit or reopen):",
    ),
    "import_notes": ("  提示：", "  notes:"),
    "import_note_line": ("    {where}{text}", "    {where}{text}"),
    "import_rows_where": ("工作表“{sheet}”第 {rows} 行：", "sheet '{sheet}' rows {rows}: "),
    "import_more_rows": ("等 {count} 行", "and {count} more"),
    "import_done": ("已导入 {new} 件新事项{updated}", "imported {new} new cases{updated}"),
    "import_updated": ("，按表更新 {count} 件", ", updated {count}"),
    "import_dry_run": (
        "预检通过，未写入（去掉 --dry-run 即导入）",
        "dry run: nothing written (run again without --dry-run to import)",
    ),
    "import_note_year_assumed": (
        "没有年份的日期按 {year} 年（{source}）",
        "dates without a year taken as {year} ({source})",
    ),
    "import_year_sheet": ("据工作表名", "from the sheet name"),
    "import_year_title": ("据表格标题", "from the title"),
    "import_year_nearest": ("最近的过去日期", "the nearest past day"),
    "import_note_deadline_relative": (
        "完成时限按该行的受理日期起算",
        "deadline counted from the row's received date",
    ),
    "import_note_deadline_text": (
        "完成时限不是日期：原文记入详细内容，未设时限",
        "deadline is not a date: kept in the detail, no deadline set",
    ),
    "import_note_unknown_kind": (
        "类型“{word}”不认识，按诉求登记",
        "kind '{word}' not known: registered as a request",
    ),
    "import_note_unknown_channel": (
        "渠道“{word}”不认识，按其他登记",
        "channel '{word}' not known: registered as other",
    ),
    "import_note_unknown_status": (
        "状态“{word}”不认识，按有无办结日期判断",
        "status '{word}' not known: closed only with a closing date",
    ),
    "import_note_second_phone": (
        "第二个电话记入该事项的办理情况",
        "second phone kept in note",
    ),
    "import_note_masked_phone": (
        "电话已打码（如 138****1234），未登记",
        "masked phone (138****1234) not kept",
    ),
    "import_note_relation_phone": (
        "电话前的称呼（如 儿子）记入办理情况",
        "who the phone belongs to (儿子 …) kept in note",
    ),
    "import_note_no_phone_text": ("电话一栏没有号码，未登记", "phone cell holds no number"),
    "import_note_closed_without_date": (
        "已办结但没有办结日期：按受理日期登记办结",
        "closed without a closing date: the received date is used",
    ),
    "import_note_closed_explained": (
        "部分解决或未解决且有说明：按“已解释说明”办结",
        "partly or not resolved, with an explanation: closed as explained",
    ),
    "import_note_closed_unresolved": (
        "未解决但已答复、没写说明：按“已解释说明”办结，结果记为原状态",
        "not resolved but answered, no explanation: closed as explained with the status as result",
    ),
    "import_note_handed_on": (
        "调解不成、已引导诉讼：按“已解释说明”办结，不算已解决",
        "mediation failed and referred to court: closed as explained, not resolved",
    ),
    "import_note_open_answer_dropped": (
        "未办结的事项填了满意度或回访，未登记",
        "satisfaction or feedback of an open case not recorded",
    ),
    "import_note_number_date": (
        "存成数字的日期（如 9.8）按“月.日”读",
        "a date stored as a number (9.8) read as month.day",
    ),
}

CHECKS: dict[str, tuple[str, str]] = {
    "check_integrity": ("数据库完整性：{detail}", "integrity: {detail}"),
    "check_schema_missing": (
        "表结构：缺少或被改动 {detail}",
        "schema: missing or changed {detail}",
    ),
    "check_schema_extra": ("表结构：多出 {detail}", "schema: unexpected {detail}"),
    "check_foreign_key": ("外键：{detail}", "foreign key: {detail}"),
    "check_history_value": (
        "办理记录：第 {detail} 条的内容被改动",
        "history: entry {detail} was edited",
    ),
    "check_history_link": (
        "办理记录：第 {detail} 条（或其前一条）被改动、插入或删除",
        "history: entry {detail} (or the one before it) was changed, inserted or deleted",
    ),
    "check_meta": (
        "台账信息：{detail} 缺失或格式不对",
        "ledger meta: {detail} is missing or malformed",
    ),
    "check_supervision": (
        "事项 {detail} 的督办记录与办理记录不一致",
        "case {detail}: supervision letters do not match the history",
    ),
    "check_case_no_history": ("事项 {detail} 没有办理记录", "case {detail} has no history"),
    "check_case_differs": (
        "事项 {detail} 与办理记录不一致",
        "case {detail} does not match its history",
    ),
    "check_timeline": (
        "事项 {detail} 的统计时间线与办理记录不一致（dump 后再 load 可重建）",
        "case {detail}: the timeline used for figures does not match the history "
        "(dump and load rebuild it)",
    ),
}

WEEKDAYS = (
    ("星期一", "Mon"),
    ("星期二", "Tue"),
    ("星期三", "Wed"),
    ("星期四", "Thu"),
    ("星期五", "Fri"),
    ("星期六", "Sat"),
    ("星期日", "Sun"),
)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def field_name(field: str, lang: str) -> str:
    if field.startswith(CORRECTION):  # a correction of a field (core/case.py)
        name = field_name(field[len(CORRECTION) :], lang)
        return f"更正{name}" if lang == "zh" else f"corrected {name}"
    return _pick(FIELDS[field], lang) if field in FIELDS else field


def error(key: str, params: dict[str, Any], lang: str) -> str:
    """The one line shown for an error key; unknown keys fall back to the key itself."""
    shown = dict(params)
    if "field" in shown:
        shown["field"] = field_name(str(shown["field"]), lang)
    if "action" in shown and shown["action"] in ACTIONS:
        shown["action"] = _pick(ACTIONS[shown["action"]], lang)
    if isinstance(shown.get("choices"), list):
        shown["choices"] = _choices(shown["choices"], lang)
    template = _pick(ERRORS[key], lang) if key in ERRORS else key
    try:
        return template.format(**shown)
    except (KeyError, IndexError):
        return template


def check_problem(key: str, detail: str, lang: str, field: str | None = None) -> str:
    shown = f"{detail} {field_name(field, lang)}" if field else detail
    return _pick(CHECKS[key], lang).format(detail=shown)


def _choices(choices: list[Any], lang: str) -> str:
    """``[("talk", "说事点"), …]`` or ``["village", …]`` as a list a reader can scan."""
    codes = [c[0] if isinstance(c, tuple) else c for c in choices]
    if lang != "zh":
        return ", ".join(codes)
    return "、".join(f"{c[0]}（{c[1]}）" if isinstance(c, tuple) else c for c in choices)


def text(key: str, lang: str, **params: Any) -> str:
    return _pick(TEXT[key], lang).format(**params)


def weekday(day_index: int, lang: str) -> str:
    return _pick(WEEKDAYS[day_index], lang)
