"""Generated contact books and the queries a recogniser might produce, for the resolver benchmark."""

from __future__ import annotations

import random
import re

FIRST = """
James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan
Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony
Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth
Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Rebecca Edward Sharon Jason
Laura Jeffrey Cynthia Ryan Kathleen Jacob Amy Gary Angela Nicholas Shirley Eric Anna Jonathan Brenda
Stephen Pamela Larry Emma Justin Nicole Scott Helen Brandon Samantha Benjamin Katherine Samuel
Christine Gregory Debra Alexander Rachel Frank Carolyn Patrick Janet Raymond Catherine Jack Maria
Dennis Heather Jerry Diane Tyler Ruth Aaron Julie Jose Olivia Adam Joyce Nathan Virginia Henry
Victoria Douglas Kelly Zachary Lauren Peter Christina Kyle Joan Noah Evelyn Ethan Judith Jeremy
Megan Priya Arjun Rahul Ananya Vikram Deepa Ravi Sunita Aditya Kavya Mohammed Fatima Ahmed Aisha
Omar Layla Yusuf Zainab Hassan Mariam Wei Mei Jing Li Hao Xiaoming Yan Chen Lei Ying Hiroshi Yuki
Kenji Sakura Takashi Aiko Haruto Yui Minjun Jiwoo Seoyeon Hyun Dmitri Olga Sergei Natalia Ivan
Svetlana Alexei Irina Wojciech Agnieszka Piotr Katarzyna Tomasz Magdalena Siobhan Aoife Niamh Ciaran
Padraig Saoirse Eoin Oisin Kwame Ama Kofi Abena Chinedu Ngozi Oluwaseun Adaeze Tunde Folake Jose
Carmen Alejandro Lucia Javier Sofia Mateo Valentina Diego Camila Joao Ana Thiago Beatriz Pedro
Mariana Giovanni Giulia Marco Chiara Luca Francesca Hans Greta Klaus Ingrid Lars Astrid Sven Freya
Pierre Chloe Antoine Camille Nguyen Linh Minh Thao Duc Hoa Anh Tuan Kemal Elif Mehmet Zeynep Emre
Ayse Arash Leila""".split()

LAST = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper
Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
Sharma Gupta Singh Kumar Iyer Reddy Nair Mehta Raghunathan Chatterjee Khan Hussain Rahman Ahmed
Hassan Ali Haddad Nasser Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Tanaka Suzuki Takahashi
Watanabe Ito Yamamoto Nakamura Kobayashi Park Choi Jung Kang Cho Yoon Ivanov Petrov Sokolov Volkov
Popov Kuznetsov Kowalski Nowak Wisniewski Wojcik Kaminski Lewandowski OBrien Byrne Ryan Walsh Doyle
Gallagher Kennedy Okafor Adebayo Mensah Boateng Nwosu Okonkwo Eze Adeyemi Silva Santos Oliveira
Souza Pereira Costa Rossi Russo Ferrari Esposito Bianchi Romano Muller Schmidt Schneider Fischer
Weber Becker Larsen Hansen Nielsen Eriksson Johansson Lindqvist Dubois Lefebvre Moreau Laurent
Girard Tran Pham Hoang Vu Yilmaz Kaya Demir Sahin Celik Hosseini Karimi Rezaei McDonald MacLeod
VanDerBerg DeLuca OConnor""".split()

COMPANY_WORDS = """
Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Soylent Cyberdyne Tyrell Wonka Gringotts
Monarch Oscorp Pearl Harbour Baltic Lagoon Cliffside Saffron Peachtree Rio Verde Atlas Emerald
Desert Rose Tanaka Nordic Bayview Cascade Meridian Summit Pioneer Horizon Keystone Beacon Evergreen
Silverline Bluebird""".split()
COMPANY_KINDS = [
    "Logistics",
    "Foods",
    "Analytics",
    "Media",
    "Labs",
    "Trading",
    "Health",
    "Energy",
    "Freight",
    "Tech",
]


def book(size: int, seed: int = 1) -> list[tuple[str, str]]:
    """`size` distinct (name, company) pairs; first names repeat a lot, as in a real CRM."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < size:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if rng.random() < 0.08:  # a middle name or a double surname now and then
            name = f"{name}-{rng.choice(LAST)}" if rng.random() < 0.5 else f"{rng.choice(FIRST)} {name}"
        if name in seen:
            continue
        seen.add(name)
        out.append((name, f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"))
    return out


# How recognisers misspell what they hear
SOUNDS = [
    ("ph", "f"),
    ("f", "ph"),
    ("ck", "k"),
    ("c", "k"),
    ("k", "c"),
    ("ee", "i"),
    ("y", "i"),
    ("i", "y"),
    ("th", "t"),
    ("ou", "u"),
    ("ie", "y"),
    ("ey", "y"),
    ("sh", "ch"),
    ("z", "s"),
    ("s", "z"),
    ("v", "w"),
    ("w", "v"),
    ("an", "en"),
    ("en", "an"),
    ("er", "ar"),
    ("o", "a"),
    ("j", "g"),
    ("x", "ks"),
    ("qu", "kw"),
]


def perturb(name: str, rng: random.Random) -> tuple[str, str]:
    """(heard, how): one recogniser-like error in the name."""
    words = name.lower().replace("-", " ").split()
    kind = rng.choice(["sound", "sound", "syllable", "split", "merge", "double"])
    i = rng.randrange(len(words))
    word = words[i]
    if kind == "sound":
        options = [(a, b) for a, b in SOUNDS if a in word]
        if options:
            a, b = rng.choice(options)
            at = [m.start() for m in re.finditer(re.escape(a), word)]
            k = rng.choice(at)
            words[i] = word[:k] + b + word[k + len(a) :]
            return " ".join(words), kind
        kind = "syllable"
    if kind == "syllable" and len(word) > 5:
        vowels = [m.start() for m in re.finditer(r"[aeiou][^aeiou]", word[1:-2])]
        if vowels:
            k = rng.choice(vowels) + 1
            words[i] = word[:k] + word[k + 2 :]
            return " ".join(words), kind
        kind = "double"
    if kind == "split" and len(word) > 5:
        k = rng.randrange(2, len(word) - 2)
        words[i] = word[:k] + " " + word[k:]
        return " ".join(words), kind
    if kind == "merge" and len(words) > 1:
        j = max(i, 1)
        words[j - 1 : j + 1] = [words[j - 1] + words[j]]
        return " ".join(words), kind
    doubled = re.sub(r"([bcdfgklmnprst])", r"\1\1", word, count=1)
    words[i] = doubled if doubled != word else word + word[-1]
    return " ".join(words), "double"
