"""The respondent service (jointwork/app/respond/): phones join a shared round by its code, answer
one screen at a time, come back to change their answers, and are refused in words when the code is
wrong or ended, the form was forged, the body is too big or they send too fast. Each test runs the
real service on 127.0.0.1 in a thread and talks to it over HTTP as separate phones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jointwork.app.respond import service as service_module
from jointwork.app.respond.codes import CODE_BITS, SharedRound, WorkshopCodes, grouped, normalise
from jointwork.app.respond.questions import screens
from jointwork.app.respond.service import GONE, Service, device_cookie, device_response_id
from jointwork.app.respond.simulate import Phone, service_in_thread
from jointwork.core.responses import ResponseStore
from jointwork.products import get_product

AREA = "E06000045"
P3 = get_product(3)
P2 = get_product(2)
Q3 = P3.questionnaire
Q2 = P2.questionnaire
JUPYTER_AND_VOILA = [
    "/api/kernels",
    "/api/kernelspecs",
    "/api/sessions",
    "/api/contents",
    "/api/status",
    "/tree",
    "/lab",
    "/files/",
    "/static/",
    "/voila/render/03_successful_joint_working.ipynb",
    "/voila/tree",
    "/voila/static/voila.js",
    "/voila/templates/jointwork/static/jointwork.js",
    "/voila/api/shutdown/abc",
    "/room?area=E06000045&product=3",
    "/download/E06000045/report.docx",
    "/jointwork/download/E06000045/report.docx",
    "/j/",
    "/j",
    "/.git/config",
]


class Room:
    """A workspace with a round of a product shared under a code, and the service's address."""

    def __init__(self, store: ResponseStore, codes: WorkshopCodes, base: str) -> None:
        self.store, self.codes, self.base = store, codes, base

    def share(self, product=P3, name: str = "Workshop, December 2026") -> tuple[str, str]:
        made = self.store.open_round(AREA, product.slug, name)
        return self.codes.share(SharedRound(AREA, product.slug, made.id)), made.id

    def phone(self) -> Phone:
        return Phone(self.base)

    def responses(self, round_id: str, product=P3):
        return self.store.responses(AREA, product.slug, round_id)


@pytest.fixture
def room(workspace: Path) -> Iterator[Room]:
    store, codes = ResponseStore(workspace), WorkshopCodes()
    with service_in_thread(Service(codes, store)) as base:
        yield Room(store, codes, base)


def scores(value: int) -> dict[str, int]:
    return dict.fromkeys(Q3.question_ids(), value)


def test_a_phone_answers_every_screen_and_its_response_is_saved(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    first = phone.join(code)
    assert first.status_code == 200 and "Which sector do you work in?" in first.text
    assert "jw_device_" in first.headers["set-cookie"] and "HttpOnly" in first.headers["set-cookie"]
    assert phone.about("health").headers["location"] == f"/j/{code}/s/1"
    first_factor = Q3.question_ids()[0]
    sent = phone.answer_all(Q3, scores(3) | {first_factor: 4}, {first_factor: "Health visitors run clinics here"})
    assert [r.status_code for r in sent] == [303] * 6 and sent[-1].headers["location"] == f"/j/{code}/done"
    done = phone.get(f"/j/{code}/done")
    assert "You answered 14 of 14 questions, as an anonymous respondent (Health)." in done.text
    [saved] = room.responses(round_id)
    assert (saved.label, saved.name, saved.source, saved.sector.value) == ("Respondent 1", None, "device", "health")
    assert saved.value(first_factor) == 4 and saved.note(first_factor) == "Health visitors run clinics here"
    assert all(saved.value(q) == 3 for q in Q3.question_ids()[1:])
    assert saved.source_key is None, "an anonymous response keeps no trace of the device"


def test_one_question_group_per_screen_with_large_labelled_choices(room: Room) -> None:
    code, _ = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("local authority", "Ann Smith")
    page = phone.get(f"/j/{code}/s/1").text
    first_group = Q3.questions()[0].group
    in_group = [q for q in Q3.questions() if q.group == first_group]
    assert f"<h1>{first_group}</h1>" in page and "Screen 1 of 6" in page
    assert page.count("<fieldset") == len(in_group) and page.count("<legend>") == len(in_group)
    assert page.count('type="radio"') == len(in_group) * 5  # four points and "no answer"
    assert "<script" not in page and 'for="n-' in page, "plain HTML, every note labelled"
    assert "min-height: 48px" in phone.get("/respond.css").text


def test_the_same_phone_comes_back_and_changes_its_answers(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("other", "Ann Smith")
    phone.answer_all(Q3, scores(2))
    again = phone.get(f"/j/{code}/s/1").text
    assert again.count('value="2" checked') == 2, "the saved answers are shown again"
    phone.screen(1, {f"value:{q.id}": "4" for q in Q3.questions()[:2]})
    [saved] = room.responses(round_id)
    assert saved.name == "Ann Smith" and [saved.value(q) for q in Q3.question_ids()[:3]] == [4, 4, 2]
    assert "This phone has answered already" in phone.join(code).text


def test_a_round_shared_again_under_a_new_code_keeps_each_phone_its_answers(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("health")
    phone.answer_all(Q3, scores(2))
    shared = SharedRound(AREA, P3.slug, round_id)
    room.codes.end(shared)  # "Stop phones joining", then "Let phones answer this round" again
    new_code = room.codes.share(shared)
    assert new_code != code and phone.join(code).status_code == 404
    assert "This phone has answered already" in phone.join(new_code).text
    phone.screen(1, {f"value:{Q3.question_ids()[0]}": "4"})
    [saved] = room.responses(round_id)
    assert saved.value(Q3.question_ids()[0]) == 4 and saved.value(Q3.question_ids()[-1]) == 2


def test_two_phones_are_two_respondents_and_never_see_each_other(room: Room) -> None:
    code, round_id = room.share()
    first, second = room.phone(), room.phone()
    for phone, sector in ((first, "health"), (second, "local authority")):
        phone.join(code)
        phone.about(sector)
    first.screen(1, {f"note:{Q3.question_ids()[0]}": "only the first phone wrote this"})
    assert "only the first phone wrote this" not in second.get(f"/j/{code}/s/1").text
    assert sorted(r.label for r in room.responses(round_id)) == ["Respondent 1", "Respondent 2"]
    thief = room.phone()  # a guessed device secret finds no one's answers
    thief.client.cookies.set(device_cookie(SharedRound(AREA, P3.slug, round_id)), "x" * 43)
    thief.join(code)
    stolen = thief.post(f"/j/{code}/s/1", {f"value:{Q3.question_ids()[0]}": "1"}, token=thief.token(f"/j/{code}"))
    assert stolen.status_code == 403


def test_a_made_up_device_secret_is_no_device(room: Room) -> None:
    """Only secrets the service signed count: a client inventing one per post gets no respondent."""
    code, round_id = room.share()
    forger = room.phone()
    forger.join(code)
    token = forger.token(f"/j/{code}")
    cookie = device_cookie(SharedRound(AREA, P3.slug, round_id))
    for n in range(5):
        forger.client.cookies.clear()
        forger.client.cookies.set("_xsrf", token)
        forger.client.cookies.set(cookie, f"{n:043d}")
        assert forger.post(f"/j/{code}", {"sector": "health"}, token=token).status_code == 403
    assert room.responses(round_id) == []


def test_two_screens_sent_at_once_from_one_phone_both_land(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("health")
    tokens = [phone.token(f"/j/{code}/s/{n}") for n in (1, 2, 3)]
    groups = [s.questions for s in screens(Q3)[:3]]
    import threading

    def send(n: int) -> None:
        form = {"_xsrf": tokens[n], **{f"value:{q.id}": "3" for q in groups[n]}}
        phone.client.post(f"/j/{code}/s/{n + 1}", data=form)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [saved] = room.responses(round_id)
    assert all(saved.value(q.id) == 3 for group in groups for q in group), "no screen's answers lost"


def test_invalid_answers_are_refused_on_the_form_with_what_was_typed(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("health")
    factor = Q3.questions()[0]
    refused = phone.screen(1, {f"value:{factor.id}": "7", f"note:{factor.id}": "kept <as typed>"})
    assert refused.status_code == 400
    assert f"{factor.title}: expected a score from 1 to 4, got 7." in refused.text
    assert "kept &lt;as typed&gt;" in refused.text and f'href="#q-{factor.id}"' in refused.text
    assert room.responses(round_id)[0].answers == {}, "nothing saved from a refused screen"


def test_ranks_must_differ_and_the_message_names_both_objectives(room: Room) -> None:
    code, round_id = room.share(P2)
    phone = room.phone()
    phone.join(code)
    phone.about("health")
    first, second = Q2.questions()[:2]
    refused = phone.screen(1, {f"value:{first.id}": "1", f"value:{second.id}": "1"})
    assert refused.status_code == 400 and f"is also given to {first.title!r}" in refused.text.replace("&#39;", "'")
    assert phone.screen(1, {f"value:{first.id}": "2", f"value:{second.id}": "1"}).status_code == 303
    [saved] = room.responses(round_id, P2)
    assert (saved.value(first.id), saved.value(second.id)) == (2, 1)


def test_a_wrong_or_ended_code_gets_404_with_no_hint(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    typed = phone.get(f"/join?code={grouped(code).lower()}")  # the home page's code box
    assert typed.status_code == 303 and typed.headers["location"] == f"/j/{code}"
    assert phone.get("/join?code=nonsense").status_code == 404
    wrong = phone.join(code[:-1] + ("A" if code[-1] != "A" else "B"))
    assert wrong.status_code == 404 and GONE in wrong.text and code not in wrong.text
    assert "Workshop, December 2026" not in wrong.text and AREA not in wrong.text
    phone.join(code)
    phone.about("health")
    room.codes.end(SharedRound(AREA, P3.slug, round_id))
    ended = phone.get(f"/j/{code}/s/1")
    assert ended.status_code == 404 and ended.text == wrong.text.replace(code[:-1] + code[-1], code)


def test_a_late_submission_after_the_round_closes_is_refused_and_typed_text_shown(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("health")
    token = phone.token(f"/j/{code}/s/1")
    room.store.close_round(AREA, P3.slug, round_id)  # closed from the product page, say
    late = phone.post(f"/j/{code}/s/1", {f"note:{Q3.question_ids()[0]}": "my late evidence"}, token=token)
    assert late.status_code == 404 and "the round may have closed" in late.text
    assert "my late evidence" in late.text, "what was typed is shown back, not lost"
    assert room.codes.find(code) is None, "the code ended with the round"
    assert room.responses(round_id)[0].answers == {}


def test_a_form_without_its_anti_forgery_token_is_refused(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    no_token = phone.client.post(f"/j/{code}", data={"sector": "health"})
    assert no_token.status_code == 403 and "not sent from this page" in no_token.text
    other_site = phone.client.post(
        f"/j/{code}",
        data={"_xsrf": phone.token(f"/j/{code}"), "sector": "health"},
        headers={"Origin": "http://evil.example"},
    )
    assert other_site.status_code == 403 and room.responses(round_id) == []


def test_a_body_over_64_kb_gets_413(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("health")
    big = phone.screen(1, {f"note:{Q3.question_ids()[0]}": "long evidence " * 5000})
    assert big.status_code == 413 and "more than 64 KB" in big.text
    assert f"<h3>{Q3.questions()[0].title}</h3>" in big.text and "long evidence long evidence" in big.text
    on_a_page = phone.client.request("GET", f"/j/{code}/done", content=b"x" * 70000)
    assert on_a_page.status_code == 413, "every route refuses a body over 64 KB"
    broken = phone.client.post(
        f"/j/{code}/s/1",
        content=b"--XYZ\r\nContent-Disposition: form-data; name=",
        headers={"Content-Type": "multipart/form-data; boundary=XYZ"},
    )
    assert broken.status_code in (400, 403) and "Traceback" not in broken.text
    huge = httpx.post(f"{room.base}/j/{code}", content=b"x" * (2 * 1024 * 1024), trust_env=False)
    assert huge.status_code == 413
    assert room.responses(round_id)[0].answers == {}


def test_markup_typed_by_a_respondent_shows_as_text(room: Room) -> None:
    code, _ = room.share()
    phone = room.phone()
    phone.join(code)
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    phone.about("health", markup)
    phone.screen(1, {f"note:{Q3.question_ids()[0]}": markup})
    for path in (f"/j/{code}", f"/j/{code}/s/1", f"/j/{code}/done"):
        page = phone.get(path)
        assert "<script>" not in page.text and "<img src=x" not in page.text
        assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script
    assert "&lt;script&gt;" in phone.get(f"/j/{code}/s/1").text


def test_one_address_cannot_hold_more_than_its_share_of_connections(room: Room) -> None:
    import socket

    host, port = room.base.removeprefix("http://").split(":")
    held = [
        socket.create_connection((host, int(port)), timeout=5) for _ in range(service_module.CONNECTIONS_PER_ADDRESS)
    ]
    try:
        extra = socket.create_connection((host, int(port)), timeout=5)
        try:
            extra.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = extra.recv(100)
        except (ConnectionResetError, BrokenPipeError):
            answer = b""
        assert answer == b"", "the connection over the limit is closed unanswered"
        extra.close()
    finally:
        for connection in held:
            connection.close()
    assert httpx.get(f"{room.base}/", trust_env=False).status_code == 200, (
        "once they close, the address is served again"
    )


def test_a_request_naming_another_host_finds_nothing(room: Room) -> None:
    code, _ = room.share()
    rebound = httpx.get(f"{room.base}/j/{code}", headers={"Host": "evil.example"}, trust_env=False)
    assert rebound.status_code == 404 and code not in rebound.text


def test_names_with_hidden_characters_are_refused_in_words(room: Room) -> None:
    code, round_id = room.share()
    phone = room.phone()
    phone.join(code)
    for name in ("\u200b\u200b", "Ann\u202eSmith", "Bell\x07", "\u200bRespondent 3", "Ｒespondent 3"):
        refused = phone.about("health", name)
        assert refused.status_code == 400 and "Your name: expected" in refused.text, repr(name)
    assert room.responses(round_id) == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_jupyter_voila_or_app_path_answers_on_the_respondent_port(room: Room, method: str) -> None:
    room.share()
    with httpx.Client(base_url=room.base, trust_env=False) as client:
        for path in JUPYTER_AND_VOILA:
            reply = client.request(method, path)
            assert reply.status_code == 404, path
            assert "Server" not in reply.headers and "jupyter" not in reply.text.lower()


def test_nothing_of_the_plan_but_the_questions_reaches_a_phone(sample_workspace: Path) -> None:
    store, codes = ResponseStore(sample_workspace), WorkshopCodes()
    plan_text = (sample_workspace / "plans" / f"{AREA}.yaml").read_text(encoding="utf-8")
    secrets_of_the_plan = [
        "Southampton family hubs partnership",
        "Family hubs development officer",
        "pooled budget option",
        "birth notifications",
        "Director of Public Health (sample)",
    ]
    assert all(s in plan_text for s in secrets_of_the_plan)
    earlier = store.responses(AREA, P3.slug, "ratings-from-the-plan")
    others = [r.label for r in earlier] + [r.note(q) for r in earlier for q in Q3.question_ids() if r.note(q)]
    with service_in_thread(Service(codes, store)) as base:
        round_id = store.open_round(AREA, P3.slug, "Second workshop").id
        code = codes.share(SharedRound(AREA, P3.slug, round_id))
        phone = Phone(base)
        pages = [phone.join(code).text]
        phone.about("health")
        pages += [phone.get(f"/j/{code}/s/{n}").text for n in range(1, 7)]
        pages.append(phone.get(f"/j/{code}/done").text)
    seen = "\n".join(pages)
    for text in secrets_of_the_plan + [o for o in others if len(o) > 12]:
        assert text not in seen, text
    assert all(q.title.replace("'", "&#39;") in seen for q in Q3.questions())


def test_a_device_sending_too_fast_is_told_to_wait(room: Room, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = room.share()
    phone = room.phone()
    phone.join(code)
    phone.about("health")
    statuses = [phone.screen(1, {}).status_code for _ in range(service_module.DEVICE_POSTS + 2)]
    assert 429 in statuses and statuses[: service_module.DEVICE_POSTS - 1] == [303] * (service_module.DEVICE_POSTS - 1)
    assert "Wait a few seconds" in phone.last.text


def test_codes_are_long_random_and_end_at_once() -> None:
    codes = WorkshopCodes()
    first = codes.share(SharedRound(AREA, P3.slug, "a"))
    assert CODE_BITS >= 128 and len(first) == 26 and re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", first)
    typed = grouped(first).lower().replace("0", "o").replace("1", "l")  # as copied by hand from the screen
    assert normalise(typed) == first and codes.find(typed) == SharedRound(AREA, P3.slug, "a")
    assert codes.share(SharedRound(AREA, P3.slug, "a")) == first, "sharing again shows the same code"
    assert codes.share(SharedRound(AREA, P3.slug, "b")) != first
    codes.end(SharedRound(AREA, P3.slug, "a"))
    assert codes.find(first) is None and codes.code_of(SharedRound(AREA, P3.slug, "a")) is None
    assert device_response_id("s" * 43) != device_response_id("t" * 43)
