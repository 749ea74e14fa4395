"""The client portal's pages: plain server-rendered HTML forms, no account needed.

A client opens the link their practitioner sent, fills the tool's fields (a draft is saved as they
type), plays the audio, answers a measure, rates the tool, and sees their own progress. Field
names are the tool's field ids, so a submission maps straight onto the tool.
"""
from __future__ import annotations

from html import escape

from gateway.idempotency import new_key

CRISIS_TEXT = ("If you are thinking about harming yourself, contact your local emergency number or "
               "crisis line now.")

STYLE = """body{font:17px/1.55 system-ui,sans-serif;max-width:42rem;margin:1.5rem auto;padding:0 1rem;color:#1d2b36}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.15rem;margin-top:1.6rem}
.field{margin:1rem 0}.field label.main{display:block;font-weight:600;margin-bottom:.3rem}
textarea,input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}
.options label{display:block;margin:.2rem 0}.scale{display:flex;gap:.5rem;align-items:center}
.crisis{border:2px solid #b00020;padding:1rem;background:#fff4f4}.muted{color:#555;font-size:.9rem}
button{font:inherit;padding:.5rem 1.2rem}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #aaa;padding:.2rem}"""

DRAFT_SCRIPT = """<script>
(function(){var form=document.getElementById('tool-form');if(!form)return;var timer=null;
function save(){var data={};new FormData(form).forEach(function(v,k){if(k!=='submission_id')data[k]=v;});
fetch(form.dataset.draftUrl,{method:'POST',headers:{'Content-Type':'application/json'},
body:JSON.stringify({fields:data})}).then(function(r){document.getElementById('draft-state').textContent=
r.ok?'Draft saved':'Could not save the draft';});}
form.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(save,800);});})();
</script>"""


def _field(field: dict, value) -> str:
    field_id = escape(str(field.get("id") or field.get("label", "")))
    label = f'<label class="main" for="{field_id}">{escape(field.get("label", ""))}</label>'
    kind, current = field.get("kind"), "" if value is None else str(value)
    options = field.get("options") or []
    if kind == "scale" and options and isinstance(options[0], dict):
        # a published measure's answers: one choice each
        choices = "".join(
            f'<label><input type="radio" name="{field_id}" value="{escape(str(o["value"]))}"'
            f'{" checked" if current == str(o["value"]) else ""}{"" if field.get("optional") else " required"}> '
            f'{escape(str(o["label"]))}</label>'
            for o in options)
        return f'<div class="field">{label}<div class="options">{choices}</div></div>'
    if kind == "scale":
        anchors = f'<span class="muted">{escape(field.get("low", "0"))}</span>', \
                  f'<span class="muted">{escape(field.get("high", "10"))}</span>'
        return (f'<div class="field">{label}<div class="scale">{anchors[0]}<input type="range" min="0" max="10" '
                f'id="{field_id}" name="{field_id}" value="{escape(current or "5")}">{anchors[1]}</div></div>')
    if kind == "checklist":
        ticked = set(current.split("|")) if current else set()
        boxes = "".join(f'<label><input type="checkbox" name="{field_id}" value="{escape(str(o))}"'
                        f'{" checked" if str(o) in ticked else ""}> {escape(str(o))}</label>' for o in options)
        return f'<div class="field">{label}<div class="options">{boxes}</div></div>'
    if kind == "table":
        columns = field.get("columns") or ["Notes"]
        rows = max(1, min(int(field.get("rows") or 5), 14))
        head = "".join(f"<th>{escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f'<td><input type="text" name="{field_id}.r{r}c{c}" aria-label="{escape(col)}">'
                                        "</td>" for c, col in enumerate(columns)) + "</tr>" for r in range(rows))
        return f'<div class="field">{label}<table><tr>{head}</tr>{body}</table></div>'
    rows = max(2, min(int(field.get("lines") or 3), 12))
    return f'<div class="field">{label}<textarea id="{field_id}" name="{field_id}" rows="{rows}">{escape(current)}</textarea></div>'


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>")


def _submission_id() -> str:
    """Made when the page is rendered: sending the same form twice (a retry after an error, a
    double click, a redelivered message) records it once."""
    return f'<input type="hidden" name="submission_id" value="{new_key()}">'


def assignment_page(token: str, view: dict) -> str:
    """The tool to do: sections to read, fields to fill, audio to play, a rating, submit."""
    tool, draft = view["tool"], view.get("draft") or {}
    base = f"/portal/{escape(token)}"
    parts = [f'<p class="muted">For {escape(view["client_name"])}'
             + (f' · due {escape(view["due"])}' if view.get("due") else "") + "</p>",
             f"<h1>{escape(tool['title'])}</h1><p>{escape(tool.get('summary', ''))}</p>"]
    for section in tool.get("sections", []):
        if section["id"] in ("your_turn", "questions", "script"):
            continue
        parts.append(f"<h2>{escape(section['heading'])}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in (section.get("text") or "").split("\n\n") if p.strip()]
        if section.get("items"):
            parts.append("<ol>" + "".join(f"<li>{escape(i)}</li>" for i in section["items"]) + "</ol>")
    if view.get("has_audio"):
        parts.append(f'<h2>Listen</h2><audio controls preload="none" src="{base}/audio" '
                     f'onended="fetch(\'{base}/audio-played\',{{method:\'POST\',headers:{{\'Content-Type\':'
                     f'\'application/json\'}},body:JSON.stringify({{seconds:Math.round(this.duration||0)}})}})"></audio>')
    if view.get("submitted"):
        parts.append("<h2>Done</h2><p>Thank you: your answers have reached your practitioner.</p>")
    else:
        fields = "".join(_field(f, draft.get(str(f.get("id")))) for f in tool.get("fields", []))
        parts.append(f'<form id="tool-form" method="post" action="{base}/submit" data-draft-url="{base}/draft">'
                     f"<h2>Your turn</h2>{_submission_id()}{fields}<p class=\"muted\" id=\"draft-state\"></p>"
                     f"<button type=\"submit\">Send to my practitioner</button></form>{DRAFT_SCRIPT}")
    parts.append(f'<h2>How helpful was this?</h2><form method="post" action="{base}/rating">{_submission_id()}'
                 + "".join(f'<button name="rating" value="{n}">{n}</button> ' for n in range(1, 6))
                 + '</form><p class="muted">1 = not at all, 5 = very helpful</p>'
                 f'<p><a href="{base}/progress">See my progress</a></p>'
                 f'<p><a href="{base}/paper">Filled the PDF at home? Send it here</a></p>')
    return page(tool["title"], "".join(parts))


def submitted_page(token: str, result: dict) -> str:
    parts = ["<h1>Thank you</h1><p>Your answers have reached your practitioner.</p>"]
    if result.get("crisis"):
        numbers = "".join(f"<li>{escape(n)}</li>" for n in result.get("crisis_numbers", []))
        parts.insert(0, f'<div class="crisis" role="alert"><strong>{escape(CRISIS_TEXT)}</strong>'
                        + (f"<ul>{numbers}</ul>" if numbers else "") + "</div>")
    if result.get("score"):
        score = result["score"]
        parts.append(f"<p>Your score: {score['total']}" + (f" ({escape(score['band'])})" if score.get("band") else "")
                     + ".</p>")
    parts.append(f'<p><a href="/portal/{escape(token)}/progress">See my progress</a></p>')
    return page("Thank you", "".join(parts))


def progress_page(view: dict) -> str:
    parts = [f"<h1>My progress, {escape(view['client_name'])}</h1>",
             f"<p>Homework done: {int(view.get('completed', 0))} of {int(view.get('assigned', 0))}.</p>"]
    for chart in view.get("charts", []):
        parts.append(f"<h2>{escape(chart['title'])}</h2>{chart['svg']}")  # SVG drawn by our own chart code
    return page("My progress", "".join(parts))


def error_page(status: int, message: str) -> str:
    if status >= 500:
        return page("Interlude", f"<h1>Not available right now</h1><p>{escape(message)}</p>"
                                 "<p>Nothing you typed is lost: go back and send it again in a moment.</p>")
    return page("Interlude", f"<h1>This link cannot be used</h1><p>{escape(message)}</p>"
                             "<p>Ask your practitioner for a new link.</p>")
