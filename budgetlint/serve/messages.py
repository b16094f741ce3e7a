"""What the server says to people, in Chinese (default) and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "forbidden": "访问被拒绝：链接中的令牌缺失或不正确。请使用 budgetlint serve 启动时显示的完整链接。",
        "too_many_files": "文件太多：一次最多上传 {limit} 个文件（本次 {count} 个）。",
        "file_too_large": "文件“{name}”太大：每个文件最大 {limit}。",
        "total_too_large": "上传总量太大：一次最多 {limit}。",
        "no_files": "没有收到文件。请把文件拖到页面上，或点击“选择文件”。",
        "bad_upload": "上传的数据无法解析（{reason}）。",
        "busy_tab": "此页面已有一项检查在进行，请等它完成后再上传。",
        "queue_full": "排队的检查太多（{limit} 项），请稍后再试。",
        "no_job": "找不到这次检查（可能已过期），请重新上传文件。",
        "not_ready": "检查尚未完成。",
        "no_finding": "这次检查中没有这条发现。",
        "reason_required": "请写明理由：为什么这不是错误。",
        "reason_too_long": "理由太长（最多 {limit} 个字）。",
        "baseline_saved": "已记录到 {path}（共 {count} 条）。",
        "baseline_error": "无法写入基线文件：{reason}",
        "baseline_not_ours": "{path} 已存在，但不是 budgetlint 基线文件，未覆盖。请移走该文件，或用 --baseline 指定另一个文件（{reason}）。",
        "check_failed": "检查失败：{reason}",
        "timed_out": "检查超过时间上限（{seconds} 秒），已停止。",
        "timed_out_file": "检查“{name}”时超过时间上限（每个文件 {seconds} 秒），已停止。请单独检查该文件，或用 --max-seconds 放宽上限。",
        "file_stopped": "“{name}”超过每个文件的时间上限（{seconds} 秒），已停止检查，其结果不予报告；其他文件照常检查。",
        "config_in_use": "配置文件：{path}（其中的规则选择、忽略和选项在本页同样生效）",
        "config_none": "未找到配置文件（pyproject.toml 的 [tool.budgetlint] 或 budgetlint.toml），使用默认规则。",
        "config_error": "无法使用配置文件：{reason}",
        "no_workbook": "这个文件没有可下载的批注工作簿。",
        "started": "budgetlint 页面已启动，请在浏览器中打开：",
        "stop_hint": "按 Ctrl+C 停止。上传的文件只保存在临时目录中，检查完即删除。",
        "baseline_hint": "标记为“不是错误”的发现记录在：{path}",
        "public_host": "注意：服务绑定在 {host}，同一网络中的其他计算机也能访问（仍需令牌）。",
        "port_in_use": "无法在 {host}:{port} 启动：{reason}",
    },
    "en": {
        "forbidden": "Access refused: the token in the link is missing or wrong. Use the full link budgetlint serve printed when it started.",
        "too_many_files": "Too many files: at most {limit} files per upload ({count} sent).",
        "file_too_large": "File \u201c{name}\u201d is too large: at most {limit} per file.",
        "total_too_large": "Upload too large: at most {limit} in all.",
        "no_files": "No file received. Drop files on the page or click \u201cChoose files\u201d.",
        "bad_upload": "The upload could not be read ({reason}).",
        "busy_tab": "A check from this page is still running; wait for it before uploading again.",
        "queue_full": "Too many checks waiting ({limit}); try again later.",
        "no_job": "This check is unknown (it may have expired); upload the files again.",
        "not_ready": "The check has not finished yet.",
        "no_finding": "This check has no such finding.",
        "reason_required": "Please say why this is not a mistake.",
        "reason_too_long": "The reason is too long (at most {limit} characters).",
        "baseline_saved": "Recorded in {path} ({count} entries).",
        "baseline_error": "Cannot write the baseline file: {reason}",
        "baseline_not_ours": "{path} exists but is not a budgetlint baseline: it was not overwritten. Move it away or give another file with --baseline ({reason}).",
        "check_failed": "The check failed: {reason}",
        "timed_out": "The check ran past its time limit ({seconds} s) and was stopped.",
        "timed_out_file": "Checking \u201c{name}\u201d ran past the time limit ({seconds} s per file) and was stopped. Check that file on its own, or raise the limit with --max-seconds.",
        "file_stopped": "\u201c{name}\u201d ran past the time limit per file ({seconds} s): its check was stopped and its findings are not reported; the other files were checked as usual.",
        "config_in_use": "Configuration: {path} (its rule selection, ignores and options apply on this page too)",
        "config_none": "No configuration file found (pyproject.toml [tool.budgetlint] or budgetlint.toml): default rules.",
        "config_error": "Cannot use the configuration file: {reason}",
        "no_workbook": "There is no annotated workbook for this file.",
        "started": "The budgetlint page is running; open it in a browser:",
        "stop_hint": "Press Ctrl+C to stop. Uploaded files are kept in a temporary folder only until they are checked.",
        "baseline_hint": "Findings marked as not a mistake are recorded in: {path}",
        "public_host": "Note: the server listens on {host}, so other computers on the network can reach it (the token is still required).",
        "port_in_use": "Cannot start on {host}:{port}: {reason}",
    },
}


def message(key: str, lang: str = "zh", **values: object) -> str:
    table = MESSAGES.get(lang, MESSAGES["zh"])
    return table[key].format(**values)


def size_text(n: int) -> str:
    """A byte count as people read it (50 MB)."""
    mb = n / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{max(1, n // 1024)} KB"


def pick_lang(value: str | None, default: str = "zh") -> str:
    return value if value in ("zh", "en") else default
