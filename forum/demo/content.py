"""The demo forum's people, groups and conversations, as data."""

from __future__ import annotations

from pathlib import Path

SEED_ARTICLE = Path(__file__).with_name("seed-article.txt")  # a copy of shared/context/seed-article.txt

PEOPLE = [
    # display name, role, organisation, password, bio
    ("Alex Admin", "admin", None, "admin-demo-password", "I look after this forum."),
    ("Morgan Reid", "moderator", None, "moderator-demo-password", "Volunteer moderator. Be kind, stay on topic."),
    ("Priya Shah", "civil_servant", "Birmingham City Council", "civil-servant-demo-password",
     "Policy officer working on **Total Place** and community budgets."),
    ("Tom Okafor", "civil_servant", "Ministry of Housing, Communities and Local Government", "tom-demo-password",
     "Evaluation lead for participatory budgeting pilots."),
    ("Richard Parsons", "resident", None, "richard-demo-password",
     "Blogs on technology, politics and government at eDemocracyBlog.com."),
    ("Jo Walker", "resident", None, "resident-demo-password", "Tenants' association secretary in Northfield."),
    ("Sam Patel", "resident", None, "sam-demo-password", ""),
    ("Ellie Morgan", "resident", None, "ellie-demo-password", "Parent, school governor, cyclist."),
    ("Dana Hughes", "resident", None, "group-moderator-demo-password",
     "Library volunteer; moderates the Neighbourhood services group."),
    ("Lee Grant", "resident", None, "lee-demo-password", ""),
    ("Casey Newman", "resident", None, "casey-demo-password", "Just moved to Northfield."),
    ("Dan Deals", "resident", None, "dan-demo-password", ""),
]

# What each account shows a newcomer who signs in as it (printed with the passwords).
TRY = {
    "Jo Walker": "a resident with unread notifications (a mention, replies), watched threads and bookmarks",
    "Morgan Reid": "site moderator: flagged and held posts wait at /moderation/",
    "Dana Hughes": "group moderator of Neighbourhood services, which pre-moderates every post",
    "Lee Grant": "sees a post hidden with the moderator's reason, and a warning",
    "Casey Newman": "a new account whose first post awaits review",
    "Dan Deals": "posted an advert that was flagged as spam",
}

GROUPS = [
    # name, summary, description, private, position, members (display names), group moderators
    ("Make a bigger difference",
     "What do leaders need to make a bigger difference in the civil service?",
     "A group for civil servants and residents to talk about **leadership** and how public services could work "
     "better, starting from *Total Place* and participatory budgeting.",
     False, 0, ["Priya Shah", "Tom Okafor", "Richard Parsons", "Jo Walker", "Sam Patel", "Ellie Morgan"],
     ["Morgan Reid"]),
    ("Participatory budgeting in practice",
     "Residents deciding how public money is spent: what works, what does not.",
     "Share experience of participatory budgeting: running a vote, counting fairly, delivering the winners.",
     False, 10, ["Tom Okafor", "Jo Walker", "Sam Patel", "Ellie Morgan"], []),
    ("Total Place: all public spending in one place",
     "Mapping every pound spent in an area, and asking who should decide.",
     "Total Place looked at all public spending in a place. Here we ask what residents would do with that picture.",
     False, 20, ["Priya Shah", "Richard Parsons", "Jo Walker"], []),
    ("Neighbourhood services",
     "Bins, buses, parks and libraries: the services people notice.",
     "Talk about local services and how they could be redesigned with the people who use them.",
     False, 30, ["Sam Patel", "Ellie Morgan", "Jo Walker"], []),
    ("Council officers' network",
     "A private space for officers to compare notes before proposals go public.",
     "Private to its members. Ask a group moderator to join.",
     True, 40, ["Priya Shah", "Tom Okafor"], ["Priya Shah"]),
]

SEED_TAGS = ["central government", "civil service", "policy making", "public administration", "london politics"]

# A Word paste's head, as users' browsers hand it over: the article arrives wrapped in this.
WORD_PASTE_HEAD = """<!--[if gte mso 9]><xml>
 <w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom></w:WordDocument>
</xml><![endif]-->
Normal 0 false false false EN-GB X-NONE X-NONE MicrosoftInternetExplorer4
<!--[if gte mso 10]>
<style>
 /* Style Definitions */
 table.MsoNormalTable {mso-style-name:"Table Normal"; mso-tstyle-rowband-size:0;}
</style>
<![endif]-->
@font-face {font-family:Calibri; panose-1:2 15 5 2 2 2 4 3 2 4;}
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
"""

# Threads: group, author, title, body, tags, days ago, replies [(author, body, [(commenter, comment)])]
THREADS = [
    ("Make a bigger difference", "Jo Walker", "What would it take for residents to control a real budget?",
     "Consultation asks us what we think; control lets us decide. If our ward had **£100,000** to spend, "
     "how should the vote work so that every part of the ward gets a fair say?",
     "participatory budgeting, democracy", 68,
     [("Tom Okafor", "In the pilots we evaluated, the votes that felt fairest were the ones where people could "
       "see how much money was left as they chose.", [("Jo Walker", "That is exactly what we want to see.")]),
      ("Sam Patel", "Paper ballots too, please. Not everyone on our estate is online.",
       [("Priya Shah", "Agreed. We ran drop-in sessions at the library last year.")]),
      ("Ellie Morgan", "> every part of the ward gets a fair say\n\nThe Method of Equal Shares is designed for "
       "exactly that: groups of voters get projects in proportion to their size.", [])]),
    ("Make a bigger difference", "Priya Shah", "Leadership lessons from the Total Place pilots",
     "Thirteen pilots found the same thing: **money follows organisations, not people**. What did leaders in "
     "your area do to work across boundaries?\n\n1. Pooled budgets\n2. Shared data\n3. One front door",
     "total place, leadership, civil service", 19,
     [("Tom Okafor", "Shared data was the hardest. Information governance took longer than the analysis.", []),
      ("Richard Parsons", "None of the pilots handed any decision to the public. That is the missing step.", [])]),
    ("Participatory budgeting in practice", "Tom Okafor", "Greedy counting versus equal shares",
     "Most participatory budgets fund the most popular projects until the money runs out. That can leave whole "
     "neighbourhoods with nothing. Wieliczka used the **Method of Equal Shares** in 2023; should we?",
     "participatory budgeting, voting rules", 11,
     [("Jo Walker", "Can you explain equal shares in plain English?",
       [("Tom Okafor", "Each voter gets an equal share of the budget to spend on the projects they back.")]),
      ("Sam Patel", "If it is fairer and still easy to explain, yes.", [])]),
    ("Participatory budgeting in practice", "Ellie Morgan", "Ideas for the Green Budget",
     "Tree planting on the ring road, a repair café, and safer cycle routes to school. What else?",
     "green budget, environment", 3,
     [("Sam Patel", "Water refill points in the parks.", [("Ellie Morgan", "Good one.")])]),
    ("Total Place: all public spending in one place", "Priya Shah", "Mapping every pound in Northfield",
     "We counted **£412m** of public spending in one district, from 57 different budgets. "
     "Residents were surprised by almost all of it. What should we publish first?",
     "total place, open data", 26,
     [("Jo Walker", "Publish the bits we can influence: the local services budgets.", []),
      ("Richard Parsons", "Publish all of it, as open data, and let people ask questions.", [])]),
    ("Neighbourhood services", "Sam Patel", "Library opening hours",
     "Our library now closes at 5pm on weekdays. Could the budget vote fund evening openings?",
     "libraries, neighbourhood services", 6,
     [("Ellie Morgan", "Evening openings would help working parents a lot.", [])]),
    ("Council officers' network", "Priya Shah", "Draft criteria for feasibility review",
     "Before proposals go to the vote we check they are legal, deliverable and costed. Comments on the draft "
     "criteria welcome here before we publish them.", "feasibility, process", 9,
     [("Tom Okafor", "Add a check that the running costs are covered after year one.", [])]),
]


def seed_article() -> tuple[str, str]:
    """The seed article's title and its body as a Word paste (residue and all)."""
    lines = SEED_ARTICLE.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[1:] if not line.startswith(("Last updated", "government, politics"))]
    title = "Whitehall should connect Total Place and participatory budgeting"
    return title, WORD_PASTE_HEAD + "\n".join(body).strip()
