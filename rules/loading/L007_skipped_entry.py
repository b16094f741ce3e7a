"""An entry of a checked folder was left out, and why.

**What it does**: reports what was found in a checked folder but not
read: a sub-folder that cannot be opened (no permission), a FIFO, socket
or device (opening one could block the run forever), a broken or looping
symbolic link, a symbolic link that leads out of the checked folder (not
followed unless ``--follow-links``).

**Why it matters**: a folder that cannot be read would otherwise pass as
checked.  With ``--strict`` any such entry makes the exit code 1.

**Example**: ``docs/archive/`` without read permission → ``L007 未检查：无法读取该目录…``;
give the account read access (or check the folder elsewhere) and it is checked.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded


class SkippedEntry(Rule):
    code = "L007"
    name = "skipped-entry"
    severity = "warning"
    summary = Msg("文件夹中的条目未检查（无法读取、特殊文件、指向外部的链接）", "entry of a folder not checked (unreadable, special file, link leading out)")
    title_zh = "文件夹条目未检查"
    doc_zh = """
    受检文件夹中有未读取的条目。

    **作用**：报告受检文件夹中没有读取的条目：无法打开的子文件夹（无权限）、命名管道、套接字或设备文件
    （打开它们可能让检查永远等待）、损坏或循环的符号链接、指向文件夹之外的符号链接（除非使用
    ``--follow-links``，否则不跟随）。

    **原因**：读不了的文件夹不能当作已检查通过。使用 ``--strict`` 时，有这类条目则退出码为 1。

    **示例**：``docs/archive/`` 没有读取权限 → ``L007 未检查：无法读取该目录…``；授予读取权限（或在别处检查该文件夹）后即可检查。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # the entries are the run's, not a document's (check_run)

    def check_run(self, documents, ctx: Context):
        for e in ctx.skipped:
            yield ctx.finding(self, Document(path=e.path, format="skipped"), None, Msg("未检查：{zh}", "not checked: {en}"), zh=e.zh, en=e.en)

    def gather_run(self, documents, ctx: Context):
        return None  # workers see no folder entries

    def finish_run(self, gathered, ctx: Context):
        return list(self.check_run((), ctx))
