"""Controlled vocabularies for coding testimonies, in English and Korean.

Structure follows the HURIDOCS Events Standard Formats (Dueck, Guzman and Verstappen, *HURIDOCS
Events Standard Formats*, 2nd ed., 2001): an **event** is made of **acts**; each act has a victim
and a type, perpetrators take part with a **degree of involvement**, **sources** give
information with a **connection** to it, **intervening parties** act for the victim. The
general terms are selected from the HURIDOCS Micro-thesauri (Dueck, Guzman and Verstappen,
*HURIDOCS Micro-thesauri*, 2001: "Types of Acts", "Methods of Violence", "Degrees of
Involvement", "Source Connection to Information", "Types of Intervention"), which HURIDOCS
presents as a starting point to extend. The codes here are Corridor's own stable strings (not
the HURIDOCS numeric codes), so that an export stays readable.

The North Korea terms are compiled from: the UN Commission of Inquiry on Human Rights in the
DPRK, *Report of the detailed findings* (A/HRC/25/CRP.1, 2014), §§ 693–792 (political prison
camps), §§ 427–455 (forced repatriation), §§ 409–426 (trafficking and forced marriage);
David Hawk, *The Hidden Gulag*, 2nd ed. (HRNK, 2012), ch. 1–4, for the facility types
(*kwanliso*, *kyohwaso*, *jipkyulso*, *rodong danryeondae*, *kuryujang*); and the Transitional
Justice Working Group, *Mapping Crimes Against Humanity in North Korea* (2017) for public
executions and burial sites. Korean labels use the terms of these sources and of the Database
Center for North Korean Human Rights (NKDB).
"""

from __future__ import annotations

from corridor.errors import CorridorError

#: Act types: code → (group, English, Korean). Groups become Uwazi thesaurus groups.
ACT_TYPES: dict[str, tuple[str, str, str]] = {
    # HURIDOCS "Types of Acts" (general)
    "killing": ("life", "Killing", "살해"),
    "extrajudicial_execution": ("life", "Extrajudicial execution", "비사법적 처형"),
    "death_in_custody": ("life", "Death in custody", "구금 중 사망"),
    "arbitrary_arrest": ("liberty", "Arbitrary arrest", "자의적 체포"),
    "arbitrary_detention": ("liberty", "Arbitrary detention", "자의적 구금"),
    "enforced_disappearance": ("liberty", "Enforced disappearance", "강제실종"),
    "abduction": ("liberty", "Abduction", "납치"),
    "torture": ("integrity", "Torture", "고문"),
    "ill_treatment": ("integrity", "Cruel, inhuman or degrading treatment", "잔혹하고 비인도적인 대우"),
    "sexual_violence": ("integrity", "Sexual violence", "성폭력"),
    "forced_labour": ("integrity", "Forced labour", "강제노동"),
    "starvation": ("integrity", "Deprivation of food", "식량 박탈"),
    "denial_of_medical_care": ("integrity", "Denial of medical care", "의료 거부"),
    "forced_abortion": ("integrity", "Forced abortion", "강제낙태"),
    "infanticide": ("life", "Infanticide", "영아 살해"),
    "family_separation": ("family", "Separation of family", "가족 분리"),
    "collective_punishment": ("family", "Punishment of relatives (guilt by association)", "연좌제 처벌"),
    "discrimination": ("equality", "Discrimination (incl. songbun)", "차별 (성분 포함)"),
    "religious_persecution": ("belief", "Persecution for religion or belief", "종교·신념 박해"),
    "information_offence": ("expression", "Punishment for foreign media or information", "외부 정보·매체 처벌"),
    "movement_restriction": ("movement", "Restriction of movement", "이동의 자유 제한"),
    # North Korea specific
    "forced_repatriation": ("nk", "Forced repatriation from China", "중국으로부터의 강제송환"),
    "public_execution": ("nk", "Public execution", "공개처형"),
    "political_prison_camp": ("nk", "Detention in a political prison camp", "정치범수용소 수감"),
    "trafficking": ("nk", "Trafficking in persons", "인신매매"),
    "forced_marriage": ("nk", "Forced marriage", "강제결혼"),
    "statelessness": ("nk", "Statelessness of a child born abroad", "해외 출생 아동의 무국적"),
    "interrogation_after_repatriation": ("nk", "Interrogation after repatriation", "송환 후 심문"),
    "body_search": ("nk", "Invasive body search", "신체 강제수색"),
}

ACT_GROUPS: dict[str, tuple[str, str]] = {
    "life": ("Right to life", "생명권"), "liberty": ("Liberty and security", "신체의 자유"),
    "integrity": ("Physical and mental integrity", "신체적·정신적 온전성"), "family": ("Family", "가족"),
    "equality": ("Equality", "평등"), "belief": ("Thought and religion", "사상·종교"),
    "expression": ("Expression and information", "표현·정보"), "movement": ("Movement", "이동"),
    "nk": ("North Korea specific", "북한 특유"),
}

#: Detention facility types (Hawk 2012; COI 2014 §§ 693–792).
FACILITY_TYPES: dict[str, tuple[str, str]] = {
    "kwanliso": ("Political prison camp (kwanliso)", "정치범수용소 (관리소)"),
    "kyohwaso": ("Long-term prison-labour camp (kyohwaso)", "교화소"),
    "jipkyulso": ("Short-term detention centre (jipkyulso)", "집결소"),
    "rodong_danryeondae": ("Labour training unit (rodong danryeondae)", "노동단련대"),
    "kuryujang": ("Interrogation and pre-trial detention (kuryujang)", "구류장"),
    "china_detention": ("Chinese border detention centre", "중국 변방 구류소"),
    "other": ("Other place", "기타 장소"),
}

#: Perpetrator agencies (COI 2014 § 170–200; TJWG 2024 attributes most disappearances to the MSS).
PERPETRATORS: dict[str, tuple[str, str]] = {
    "mss": ("Ministry of State Security (bowibu)", "국가보위성 (보위부)"),
    "msp": ("Ministry of Social Security, police (anjeon)", "사회안전성 (안전부)"),
    "kpa": ("Korean People's Army", "조선인민군"),
    "party": ("Workers' Party organisation", "노동당 조직"),
    "prison_staff": ("Prison or camp staff", "교화소·수용소 관리원"),
    "china_police": ("Chinese public security", "중국 공안"),
    "broker": ("Broker or trafficker", "브로커·인신매매범"),
    "other": ("Other", "기타"),
    "unknown": ("Unknown", "미상"),
}

#: HURIDOCS "Degrees of Involvement".
DEGREES: dict[str, tuple[str, str]] = {
    "direct": ("Direct perpetrator", "직접 가해"),
    "command": ("Ordered or commanded", "명령·지휘"),
    "complicity": ("Complicity", "공모·방조"),
    "failure_to_act": ("Failure to act", "부작위"),
    "unknown": ("Unknown", "미상"),
}

#: HURIDOCS "Source Connection to Information".
SOURCE_CONNECTIONS: dict[str, tuple[str, str]] = {
    "victim": ("Victim", "피해자 본인"), "witness": ("Eyewitness", "목격자"),
    "relative": ("Relative of the victim", "피해자 가족"), "heard": ("Heard from others", "전해 들음"),
    "document": ("Document", "문서"),
}

#: HURIDOCS "Types of Intervention" (intervening parties).
INTERVENTIONS: dict[str, tuple[str, str]] = {
    "assistance": ("Assistance to the victim", "피해자 지원"), "bribery": ("Payment or bribe for release", "석방 뇌물"),
    "legal": ("Legal action", "법적 조치"), "un_submission": ("Submission to a UN mechanism", "유엔 제출"),
    "other": ("Other", "기타"),
}

#: Precision of a date (a day, a month, a year, or only roughly known).
PRECISIONS: dict[str, tuple[str, str]] = {
    "day": ("Day", "일"), "month": ("Month", "월"), "year": ("Year", "년"), "unknown": ("Unknown", "미상"),
}

#: Sources of outside media (where the witness got it); channels are ``evidence.vocabulary.CHANNELS``.
MEDIA_SOURCES: dict[str, tuple[str, str]] = {
    "market": ("Bought at a market", "장마당 구입"), "friend": ("From a friend or neighbour", "친구·이웃"),
    "relative": ("From a relative", "친척"), "trader": ("From a trader or smuggler", "상인·밀수꾼"),
    "own_device": ("Received on own set", "본인 기기로 수신"), "found": ("Found (e.g. a leaflet)", "주움 (전단 등)"),
    "other": ("Other", "기타"),
}

VOCABULARIES: dict[str, dict] = {
    "act_type": ACT_TYPES, "facility_type": FACILITY_TYPES, "perpetrator": PERPETRATORS,
    "degree": DEGREES, "source_connection": SOURCE_CONNECTIONS, "intervention": INTERVENTIONS,
    "precision": PRECISIONS, "media_source": MEDIA_SOURCES,
}


def label(vocabulary: str, code: str, lang: str = "en") -> str:
    entry = VOCABULARIES[vocabulary].get(code)
    if entry is None:
        return code
    en, ko = entry[-2], entry[-1]
    return ko if lang == "ko" else en


def choices(vocabulary: str, lang: str = "en") -> list[tuple[str, str]]:
    return [(code, label(vocabulary, code, lang)) for code in VOCABULARIES[vocabulary]]


def check_code(vocabulary: str, code: str | None, *, field: str, optional: bool = False) -> str | None:
    if code in (None, "") and optional:
        return None
    if code not in VOCABULARIES[vocabulary]:
        raise CorridorError(f"not a known {vocabulary.replace('_', ' ')}", field=field, value=code,
                            hint="see `corridor archive thesaurus`")
    return code


def code_for_label(vocabulary: str, text: str) -> str | None:
    """The code whose English or Korean label (or code) is ``text``, for imports."""
    t = text.strip().lower()
    for code, entry in VOCABULARIES[vocabulary].items():
        if t in (code, entry[-2].lower(), entry[-1].lower()):
            return code
    return None
