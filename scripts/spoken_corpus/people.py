"""The people in each corpus's contact book, and names that are in nobody's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Person:
    name: str
    company: str
    numbers: dict[str, str]  # label -> number
    relation: str = ""  # what this person is to the user ("boss"), as a contacts export's Relation field

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def last(self) -> str:
        return self.name.split()[-1]

    @property
    def default_label(self) -> str:
        return "mobile" if "mobile" in self.numbers else next(iter(self.numbers))


def _people(rows: list[tuple[str, str, str]], area: int, relations: dict[str, str]) -> list[Person]:
    """People with made-up numbers in one area code; rows are only ever appended, so numbers stay put."""
    people = []
    for i, (name, company, labels) in enumerate(rows):
        numbers = {
            label: f"+1{area}555{(100 + i * 3 + j) % 200 + 100:04d}" for j, label in enumerate(labels.split())
        }
        people.append(Person(name, company, numbers, relations.get(name, "")))
    every = [n for p in people for n in p.numbers.values()]
    assert len(every) == len(set(every)), "two people share a number"
    return people


DEV_PEOPLE = _people(
    [
        ("Jane Doe", "Acme", "mobile"),
        ("Jane Smith", "Globex", "mobile work"),
        ("Robert Martinez", "Initech", "mobile"),
        ("Priya Raghunathan", "Acme Robotics", "mobile work"),
        ("Siobhan Nguyen", "Harbour Logistics", "mobile"),
        ("Wojciech Kowalski", "Baltic Trade", "mobile work"),
        ("Kelly Chen", "Umbrella", "mobile"),
        ("Jon Park", "Stark Industries", "mobile"),
        ("Jen Park", "Hooli", "mobile"),
        ("Sean Murphy", "Murphy Joinery", "work"),
        ("Jennifer Lopez", "Wayne Enterprises", "mobile"),
        ("Oluwaseun Adebayo", "Lagoon Analytics", "mobile"),
        ("Aoife Brennan", "Cliffside Media", "mobile"),
        ("Dmitri Volkov", "Volkov Logistics", "mobile home"),
        ("Mohammed Hassan", "Desert Rose", "mobile work"),
        ("Xiaoming Li", "Pearl River", "mobile"),
        ("Catherine Oneill", "Bayside Credit", "mobile work"),
        ("Marcus Johnson", "Peachtree", "mobile"),
        ("Ana Souza", "Rio Verde", "mobile"),
        ("Hiroshi Tanaka", "Tanaka Precision", "mobile work"),
        ("Fatima Zahra", "Atlas Consulting", "mobile"),
        ("Liam Obrien", "Emerald Freight", "work"),
        ("Grace Okafor", "Okafor Law", "mobile work"),
        ("Arjun Mehta", "Saffron Labs", "mobile"),
        ("Maria Garcia", "Sol Energy", "mobile"),
        ("Maria Rossi", "Vespa Motors", "mobile work"),
        ("David Cohen", "Negev Water", "mobile"),
        ("David Kim", "Seoul Foods", "mobile home"),
        ("Ahmed Khan", "Indus Textiles", "mobile"),
        ("Olga Petrova", "Volga Shipping", "work"),
        ("Chloe Dubois", "Atelier Dubois", "mobile"),
        ("Lars Eriksson", "Nordlys", "mobile"),
        ("Amara Nwosu", "Peachtree Textiles", "mobile work"),
        ("Kwame Mensah", "Gold Coast Cocoa", "mobile"),
        ("Tomas Novak", "Vltava Glass", "mobile"),
        ("Ingrid Sorensen", "Nordic Wind", "mobile"),
        ("Rahul Iyer", "Bayview Health", "mobile home"),
        ("Sofia Navarro", "Navarro Wines", "mobile"),
        ("Yuki Watanabe", "Cascade Ceramics", "mobile"),
        ("Carlos Mendoza", "Mendoza Hermanos", "work"),
        ("Hannah Schmidt", "Pacific Kites", "mobile"),
        ("Ethan Brooks", "Brooks Legal", "mobile work"),
        ("Nadia Haddad", "Cedar Imports", "mobile"),
        ("Patrick Walsh", "Walsh Builders", "mobile"),
        # Same-sounding pairs (espeak-ng gives each pair the same or nearly the same phonemes); each
        # member has a company and a number label the other lacks, so a command can settle which one.
        ("Jon Reid", "Northwind Traders", "mobile"),
        ("John Reed", "Blue Harbor Bank", "mobile home"),
        ("Catherine Walsh", "Maple Dental", "mobile work"),
        ("Kathryn Walsh", "Summit Realty", "mobile"),
        ("Philip Grant", "Granite Insurance", "work"),
        ("Phillip Grant", "Riverside Printing", "mobile"),
    ],
    415,
    {"Ethan Brooks": "boss", "Grace Okafor": "wife"},
)

HELDOUT_PEOPLE = _people(
    [
        ("Emily Carter", "Bluebird Media", "mobile"),
        ("Emily Zhang", "Lotus Tech", "mobile work"),
        ("Giovanni Bianchi", "Bianchi Cycles", "mobile"),
        ("Niamh Gallagher", "Gallagher Farms", "mobile"),
        ("Thabo Nkosi", "Ubuntu Solar", "mobile work"),
        ("Mei Lin", "Jade Garden", "mobile"),
        ("Alejandro Torres", "Torres Roofing", "mobile"),
        ("Anders Lindqvist", "Fjord Fisheries", "work"),
        ("Bogdan Popescu", "Carpathia Wood", "mobile"),
        ("Zainab Yusuf", "Sahel Logistics", "mobile"),
        ("Kenji Sato", "Sato Instruments", "mobile home"),
        ("Rebecca Stein", "Stein Partners", "mobile"),
        ("Rebecca Hall", "Hall Catering", "mobile work"),
        ("Mateo Silva", "Silva Coffee", "mobile"),
        ("Aisha Khan", "Meridian Freight", "mobile"),
        ("Oscar Nilsson", "Nilsson Boats", "mobile"),
        ("Lucia Fernandez", "Fernandez Clinic", "mobile work"),
        ("Samuel Adeyemi", "Eko Motors", "mobile"),
        ("Eleanor Price", "Price Architects", "mobile"),
        ("Viktor Horvath", "Danube Steel", "work"),
        ("Isabelle Martin", "Martin Bakery", "mobile"),
        ("Tariq Aziz", "Aziz Pharma", "mobile"),
        ("Hamish Campbell", "Highland Wool", "mobile"),
        ("Ravi Shankar", "Shankar Music", "mobile home"),
        ("Julia Novak", "Novak Design", "mobile"),
        ("Felix Wagner", "Wagner Auto", "mobile work"),
        ("Leila Ahmadi", "Persian Rugs", "mobile"),
        ("Connor Reilly", "Reilly Pubs", "mobile"),
        ("Ngozi Eze", "Eze Fashion", "mobile"),
        ("Pavel Dvorak", "Dvorak Audio", "mobile"),
        ("Harriet Jones", "Jones Florist", "mobile"),
        ("Diego Ramirez", "Ramirez Tiles", "mobile work"),
        ("Sakura Ito", "Ito Tea", "mobile"),
        ("Bjorn Larsen", "Larsen Marine", "mobile"),
        ("Chidi Obi", "Obi Energy", "mobile"),
        ("Fiona Byrne", "Byrne Vets", "mobile"),
        ("Kofi Boateng", "Accra Exports", "mobile"),
        ("Lena Fischer", "Fischer Optics", "mobile work"),
        ("Omar Farouk", "Nile Travel", "mobile"),
        ("Ruth Goldberg", "Goldberg Books", "mobile"),
        ("Sean Taylor", "Copper Kettle", "mobile"),
        ("Shawn Taylor", "Ironwood Gyms", "mobile work"),
        ("Ann Thompson", "Willow Nurseries", "mobile home"),
        ("Anne Thomson", "Beacon Couriers", "mobile"),
        ("Steven Clark", "Clearwater Pools", "work"),
        ("Stephen Clarke", "Orchard Accountancy", "mobile"),
    ],
    628,
    {"Harriet Jones": "mother", "Felix Wagner": "brother"},
)

# Names spelled apart but said alike: a key that groups "Jon" with "John" and "Reid" with "Reed".
SAYS_LIKE = {
    **{
        "john": "jon",
        "kathryn": "catherine",
        "phillip": "philip",
        "shawn": "sean",
        "anne": "ann",
        "stephen": "steven",
    },
    **{"reed": "reid", "thomson": "thompson", "clarke": "clark"},
}


def sound(word: str) -> str:
    """The key under which a spoken name is heard: words in SAYS_LIKE meet, others are themselves."""
    return SAYS_LIKE.get(word.lower(), word.lower())


# Whole names that sound alike, in pairs: a spoken command naming one cannot tell which.
SAME_SOUNDING = {
    "dev": [
        ("Jon Reid", "John Reed"),
        ("Catherine Walsh", "Kathryn Walsh"),
        ("Philip Grant", "Phillip Grant"),
    ],
    "heldout": [
        ("Sean Taylor", "Shawn Taylor"),
        ("Ann Thompson", "Anne Thomson"),
        ("Steven Clark", "Stephen Clarke"),
    ],
}

DEV_STRANGERS = [
    "Zachary Quinn",
    "Beatrice Holloway",
    "Rupert Vance",
    "Svetlana Morozova",
    "Desmond Tutu",
    "Penelope Cruz",
    "Gustavo Lima",
    "Imogen Heap",
]
HELDOUT_STRANGERS = [
    "Winston Churchill",
    "Ophelia Grant",
    "Ignatius Reilly",
    "Valentina Rossi",
    "Kazuo Ishiguro",
    "Beverly Marsh",
]

# The stranger bench (`corpus.py --strangers`): people nobody's book holds, asked for in the set's book. Some
# share a first or last name with a contact ("Jane Foster" beside Jane Doe and Jane Smith, "Bartosz Nowak"
# beside Tomas Novak), some are a first name alone; every one must be refused or asked about, never dialled.
# The two lists are disjoint, and each is said to its own set's book: tune on dev, check on heldout.
STRANGER_BENCH = {
    "dev": [
        "Gordon Mitchell",
        "Laura Bennett",
        "Trevor Hughes",
        "Margaret Lyons",
        "Dennis Fowler",
        "Heather Collins",
        "Wendy Palmer",
        "Keith Barnes",
        "Nigel Shaw",
        "Sandra Bishop",
        "Colin Hayes",
        "Brenda Norris",
        "Jane Foster",
        "Robert Klein",
        "David Harris",
        "Maria Lindgren",
        "Grace Whitfield",
        "Ethan Cole",
        "Kelly Morgan",
        "Liam Turner",
        "Patrick Doyle",
        "Hannah Ward",
        "Nora Walsh",
        "Tom Park",
        "Helen Kim",
        "Peter Chen",
        "Rosa Garcia",
        "Alan Brooks",
        "Mikhail Sorokin",
        "Anjali Desai",
        "Chen Wei",
        "Kofi Annan",
        "Sergio Ramos",
        "Ines Moreau",
        "Bartosz Nowak",
        "Dmitri Ivanov",
        "Gordon",
        "Beatrix",
        "Yolanda",
        "Fergus",
    ],
    "heldout": [
        "Beverly Marsh",
        "Howard Jenkins",
        "Diane Foster",
        "Graham Pearce",
        "Julie Warren",
        "Stuart Reid",
        "Paula Grant",
        "Martin Hale",
        "Denise Carroll",
        "Roger Webb",
        "Janet Lowe",
        "Craig Harvey",
        "Emily Watson",
        "Rebecca Moore",
        "Oscar Wilde",
        "Julia Roberts",
        "Samuel Becker",
        "Felix Baumann",
        "Diego Costa",
        "Omar Sharif",
        "Lena Holm",
        "Ruth Baker",
        "Mark Campbell",
        "Lisa Novak",
        "Gareth Jones",
        "Tom Larsen",
        "Kate Price",
        "Nina Fischer",
        "Yusuf Demir",
        "Priyanka Rao",
        "Akira Mori",
        "Chiara Conti",
        "Olumide Bello",
        "Katarzyna Zielinska",
        "Farid Haddad",
        "Ivan Petrov",
        "Beverly",
        "Clive",
        "Rosalind",
        "Ignatius",
    ],
}
