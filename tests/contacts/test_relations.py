"""Relations from contact files ("call my mum") and how the resolver reads them."""

from __future__ import annotations

from pathlib import Path

from assistant.contacts.importers import read_contacts
from assistant.contacts.resolver import Resolver
from assistant.intents import IntentParser
from assistant.models import Action, Contact, PhoneNumber

DATA = Path(__file__).parent / "data"


def test_google_relations_name_other_contacts_who_become_yours():
    result = read_contacts(DATA / "google_relations.csv")
    people = {c.name: c for c in result.contacts}
    assert people["Linda Carter"].relations == ("mother",)  # "Mother" in Google's words -> the templates'
    assert people["Priya Shah"].relations == ("manager",)
    assert people["Ana Lopez"].relations == ()
    assert people["Ana Lopez"].city == "Denver"
    [problem] = result.problems  # a relation naming nobody in the file is reported, by line
    assert problem.line == 5 and "Nobody Here" in problem.message


def test_vcard_related_and_apple_related_names():
    result = read_contacts(DATA / "relations.vcf")
    people = {c.name: c for c in result.contacts}
    assert people["Sam Lopez"].relations == ("partner",)  # RELATED;TYPE=spouse as text; a uuid is no name
    assert people["Ana Lopez"].relations == ("sister",)  # X-ABRELATEDNAMES with its Apple label
    assert people["Sam Lopez"].city == "Boston"


def test_plain_csv_relation_column(tmp_path: Path):
    path = tmp_path / "contacts.csv"
    path.write_text("name,mobile,relation\nPriya Shah,+14155550103,Boss\nAmy Wu,+14155550107,\n")
    people = {c.name: c for c in read_contacts(path).contacts}
    assert people["Priya Shah"].relations == ("manager",) and people["Amy Wu"].relations == ()


def person(name: str, *relations: str, company: str = "") -> Contact:
    return Contact(name, (PhoneNumber("+14155550100"),), company=company, relations=relations)


def test_a_relation_resolves_to_its_one_person_and_asks_between_two():
    book = [person("Priya Shah", "manager"), person("Amy Wu", "sister"), person("Bo Wu", "sister")]
    resolver = Resolver(book)
    boss = resolver.resolve([], relation="manager")
    assert boss.action == Action.DIAL and boss.contact and boss.contact.name == "Priya Shah" and boss.certain
    sisters = resolver.resolve([], relation="sister")
    assert sisters.action == Action.ASK
    assert {c.contact.name for c in sisters.candidates} == {"Amy Wu", "Bo Wu"}
    nobody = resolver.resolve([], relation="mother")
    assert nobody.action == Action.REFUSE and nobody.reason == "no_relation"


def test_spoken_relations_parse_to_the_canonical_word():
    parser = IntentParser()
    for said in ("call my mum", "ring my mother", "give my mom a call", "call mom please"):
        intent = parser.parse(said)
        assert intent is not None and intent.slot("relation") == "mother", said
    taught = parser.parse("my boss is Priya Shah")
    assert taught is not None and taught.name == "SetRelation"
    assert taught.slot("relation") == "manager" and taught.slot("contact").lower() == "priya shah"


def test_a_relation_said_another_way_finds_the_book_s_word_for_it():
    book = [person("Nina Hughes", "wife"), person("Carol Hughes", "mother"), person("Frank Hughes", "father")]
    resolver = Resolver(book)
    spouse = resolver.resolve([], relation="partner")  # "call my spouse" when the book says wife
    assert spouse.action == Action.DIAL and spouse.contact and spouse.contact.name == "Nina Hughes"
    parents = resolver.resolve([], relation="parent")  # "call my parents": which one?
    assert parents.action == Action.ASK
    assert {c.contact.name for c in parents.candidates} == {"Carol Hughes", "Frank Hughes"}
    assert resolver.resolve([], relation="child").reason == "no_relation"


def test_a_relation_with_a_name_that_is_not_theirs_asks_and_never_dials_the_relation():
    book = [person("Victor Hughes", "uncle"), person("Bob Miller"), person("AJ Patel", "friend")]
    resolver = Resolver(book)
    named = resolver.resolve(["victor"], relation="uncle")  # "call Uncle Victor"
    assert named.action == Action.DIAL and named.contact and named.contact.name == "Victor Hughes"
    other = resolver.resolve(["bob"], relation="uncle")  # "call my uncle Bob": the book's uncle is Victor
    assert other.action == Action.ASK and other.contact is None
    assert [c.contact.name for c in other.candidates] == ["Bob Miller", "Victor Hughes"]


def test_relations_said_as_titles_and_after_the_name_parse_with_both_slots():
    parser = IntentParser()
    for said, relation, name in (
        ("ring uncle victor", "uncle", "victor"),
        ("give aunt rosa a call", "aunt", "rosa"),
        ("call nina, my wife", "wife", "nina"),
        ("call my friend jenny", "friend", "jenny"),
    ):
        intent = parser.parse(said)
        assert intent is not None and intent.name == "CallContact", said
        assert intent.slot("relation") == relation and intent.slot("contact") == name, said
    spouse = parser.parse("phone my spouse")
    assert spouse is not None and spouse.slot("relation") == "partner"
    kids = parser.parse("call my kid")
    assert kids is not None and kids.slot("relation") == "child"
