"""The XLSForm of the evidence schema, in English and Korean, for KoboToolbox and ODK.

Sheets follow the XLSForm standard (https://xlsform.org): ``survey`` (background, a repeat of
channel exposure with one instance per channel, ending with the kinds of content seen through
the channel (a ``select_multiple`` over the theme vocabulary), a repeat of device access,
attitude items),
``choices`` and ``settings``. Field names are the schema's column names, so exports map onto
the tables without a crosswalk; "don't know" and "refused" are answers of their own. The
written workbook is compiled with ``pyxform`` before it is kept.
"""

from __future__ import annotations

from pathlib import Path

from corridor.atomic import atomic_path
from corridor.errors import CorridorError
from corridor.evidence.vocabulary import (ATTITUDE_ITEMS, CHANNEL_LABELS, CHANNELS, DEVICES,
                                          FREQUENCIES, MODES, OCCUPATIONS, SOURCES, TUNINGS)
from corridor.geo.names import PROVINCES, PROVINCES_KO

FORM_ID = "corridor_evidence"
FORM_VERSION = "2026.2"
EN, KO = "label::English (en)", "label::Korean (ko)"

_CHOICES: dict[str, list[tuple[str, str, str]]] = {
    "sex": [("male", "Male", "남성"), ("female", "Female", "여성")],
    "yn4": [("yes", "Yes", "예"), ("no", "No", "아니오"), ("dont_know", "Don't know", "모름"),
            ("refused", "Refused", "응답 거부")],
    "province": [(p.lower().replace(" ", "_"), p, PROVINCES_KO[p]) for p in PROVINCES]
    + [("nampo", "Nampo (South Pyongan in 2008)", "남포"), ("rason", "Rason (North Hamgyong in 2008)", "라선"),
       ("kaesong", "Kaesong (North Hwanghae in 2008)", "개성")],
    "urban": [("urban", "Town (dong / workers' district)", "도시 (동·노동자구)"), ("rural", "Village (ri)", "농촌 (리)")],
    "mode": [(m, m.replace("_", " ").capitalize(), k) for m, k in zip(MODES, ("대면", "전화", "화상"))],
    "occupation": [(o, o.replace("_", " / ").capitalize(), k) for o, k in zip(OCCUPATIONS, (
        "무직·부양", "노동자", "농장원", "사무원", "봉사", "군인", "학생", "장사", "기타"))],
    "market": [("none", "None", "없음"), ("sometimes", "Sometimes", "가끔"), ("main", "Main income", "주 수입원")],
    "channel": [(c, *CHANNEL_LABELS[c]) for c in CHANNELS],
    "device": [(d, d.replace("_", " ").upper() if len(d) <= 3 else d.replace("_", " "), d) for d in DEVICES],
    "tuning": [(t, t.capitalize(), k) for t, k in zip(TUNINGS, ("고정", "조절 가능", "개조"))],
    "frequency": [(f, f.replace("_", " "), k) for f, k in zip(FREQUENCIES, (
        "매일", "매주", "매달", "그보다 드물게", "마지막 1년간 없음"))],
    "source": [(s, s.capitalize(), k) for s, k in zip(SOURCES, ("가족", "친구", "장마당", "장사꾼", "주움", "기타"))],
    "likert": [("1", "1 Strongly disagree", "1 전혀 아니다"), ("2", "2", "2"), ("3", "3", "3"), ("4", "4", "4"),
               ("5", "5 Strongly agree", "5 매우 그렇다"), ("dont_know", "Don't know", "모름"),
               ("refused", "Refused", "응답 거부")],
}

_ATTITUDE_LABELS = {
    "sk_richer": ("South Korea is richer than the North.", "남한은 북한보다 잘산다."),
    "sk_free": ("People in South Korea live freely.", "남한 사람들은 자유롭게 산다."),
    "us_hostile": ("The United States is hostile to our people.", "미국은 우리 인민에게 적대적이다."),
    "regime_to_blame": ("Hardship is the leadership's fault.", "생활난은 지도부의 책임이다."),
    "succession_negative": ("I viewed the succession negatively.", "후계 세습을 부정적으로 보았다."),
    "info_influenced_leaving": ("Outside information influenced my decision to leave.",
                                "외부 정보가 탈북 결심에 영향을 주었다."),
    "witnessed_punishment": ("I saw someone punished for outside media.", "외부 영상물 때문에 처벌받는 것을 보았다."),
}


def theme_choices() -> list[tuple[str, str, str]]:
    """Choices of the content question: the vocabulary's themes, then other, don't know, refused."""
    from corridor.themes import vocabulary

    return [(t.code, t.en, t.ko) for t in vocabulary().themes] + [
        ("other", "Other content", "기타 내용"), ("dont_know", "Don't know", "모름"),
        ("refused", "Refused", "응답 거부")]


def survey_rows() -> list[dict]:
    """The ``survey`` sheet as rows (type, name, labels, relevant, constraint, required…)."""
    def q(type_, name, en, ko, **kw):
        return {"type": type_, "name": name, EN: en, KO: ko, **kw}
    channel_list = " ".join(CHANNELS)
    rows = [
        q("start", "start", "", ""), q("end", "end", "", ""),
        q("text", "respondent_id", "Respondent code (no names)", "응답자 코드 (이름 금지)", required="yes"),
        q("select_one mode", "interview_mode", "Interview mode", "면접 방식"),
        q("date", "interview_date", "Interview date", "면접 날짜"),
        q("begin_group", "respondent", "About you", "응답자 정보"),
        q("select_one sex", "sex", "Sex", "성별", required="yes"),
        q("integer", "birth_year", "Year of birth", "출생 연도", required="yes",
          constraint=". >= 1920 and . <= 2015"),
        q("select_one province", "province", "Province of last residence", "마지막 거주 도", required="yes"),
        q("text", "county", "City or county of last residence", "마지막 거주 시·군"),
        q("select_one urban", "urban", "Town or village", "도시 또는 농촌", required="yes"),
        q("integer", "year_left", "Year you left North Korea", "북한을 떠난 연도", required="yes",
          constraint=". >= ${birth_year} and . <= 2030"),
        q("integer", "year_arrived", "Year you arrived in the South", "남한 입국 연도",
          constraint=". >= ${year_left}"),
        q("integer", "months_in_china", "Months spent in China or elsewhere", "제3국 체류 개월 수"),
        q("select_one occupation", "occupation", "Main occupation before leaving", "탈북 전 주된 직업"),
        q("select_one market", "market_activity", "Market activity", "장마당 활동"),
        q("end_group", "", "", ""),
        q("begin_repeat", "exposure", "Outside media, channel by channel", "외부 매체 (매체별)",
          repeat_count=str(len(CHANNELS))),
        q("calculate", "channel", "", "", calculation=f"selected-at('{channel_list}', position(..) - 1)"),
        q("select_one yn4", "ever", "Before leaving, did you ever see or hear outside media by this channel: ${channel}?",
          "떠나기 전에 이 경로(${channel})로 외부 매체를 보거나 들은 적이 있습니까?", required="yes"),
        q("integer", "first_year", "First year", "처음 접한 연도", relevant="${ever} = 'yes'"),
        q("select_one frequency", "frequency", "How often in your last year there", "마지막 1년간 빈도",
          relevant="${ever} = 'yes'"),
        q("select_multiple source", "sources", "From whom or where", "누구에게서·어디서", relevant="${ever} = 'yes'"),
        q("integer", "shared_n", "With how many people did you share it", "몇 명과 함께 보거나 나눴습니까",
          relevant="${ever} = 'yes'"),
        q("select_one likert", "trust", "I trusted it", "그 내용을 믿었다", relevant="${ever} = 'yes'"),
        q("select_one likert", "influence", "It changed my mind", "생각이 바뀌었다", relevant="${ever} = 'yes'"),
        q("select_multiple theme", "themes",
          "Which kinds of content did you see or hear by this channel (${channel})? Choose all that apply.",
          "이 경로(${channel})로 어떤 내용을 보거나 들었습니까? 해당하는 것을 모두 고르십시오.",
          relevant="${ever} = 'yes'", required="yes",
          constraint="not((selected(., 'dont_know') or selected(., 'refused')) and count-selected(.) > 1)"),
        q("end_repeat", "", "", ""),
        q("begin_repeat", "device", "Devices", "기기"),
        q("select_one device", "device_name", "Device", "기기"),
        q("select_one yn4", "owned", "Your household owned one", "가구에서 소유"),
        q("select_one yn4", "used_elsewhere", "You used one elsewhere", "다른 곳에서 사용"),
        q("select_one tuning", "tuning", "Fixed-tuned or tunable", "채널 고정 여부",
          relevant="${device_name} = 'radio' or ${device_name} = 'tv'"),
        q("end_repeat", "", "", ""),
        q("begin_group", "attitudes", "Views", "생각"),
    ]
    rows += [q("select_one likert", item, *_ATTITUDE_LABELS[item]) for item in ATTITUDE_ITEMS]
    rows.append(q("end_group", "", "", ""))
    return rows


def write_form(out: Path | str) -> Path:
    """Write the XLSForm to ``out`` (atomically) after checking that it compiles with pyxform."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    cols = ["type", "name", EN, KO, "required", "relevant", "constraint", "calculation", "repeat_count"]
    ws.append(cols)
    for row in survey_rows():
        ws.append([row.get(c, "") for c in cols])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", EN, KO])
    for list_name, items in {**_CHOICES, "theme": theme_choices()}.items():
        for name, en, ko in items:
            ch.append([list_name, name, en, ko])
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version", "default_language"])
    st.append(["Corridor: outside media before leaving", FORM_ID, FORM_VERSION, "English (en)"])
    with atomic_path(out) as tmp:
        wb.save(tmp)
        compile_form(tmp)
    return Path(out)


def compile_form(path: Path | str) -> str:
    """Compile an XLSForm with pyxform and return the XForm XML; raise naming the file if it fails."""
    from pyxform.xls2xform import convert

    try:
        return convert(xlsform=str(path), warnings=[]).xform
    except Exception as exc:  # pyxform raises its own error types, with a readable message
        raise CorridorError(f"the form does not compile: {exc}", source=str(path)) from None
