"""Names and places for the scale data set, with rough frequencies.

Plain data, no Django. Given names follow the ONS lists of popular baby
names in England and Wales for the years the children were born (and, for
adults, the years their parents and grandparents were born); family names
follow the frequencies of the commonest surnames, with weights per 100,000
people rounded heavily. Weights only need to be realistic enough that a
search by family name finds a handful of children for a rare name and
hundreds for "Smith".
"""

GIRLS = {
    "Olivia": 90, "Amelia": 90, "Isla": 70, "Ava": 70, "Mia": 60, "Ivy": 45, "Lily": 65, "Isabella": 55,
    "Rosie": 40, "Sophia": 45, "Grace": 50, "Freya": 45, "Willow": 35, "Florence": 35, "Emily": 60, "Ella": 45,
    "Poppy": 45, "Evie": 45, "Elsie": 35, "Charlotte": 45, "Evelyn": 30, "Sienna": 30, "Sofia": 30, "Daisy": 35,
    "Phoebe": 30, "Alice": 30, "Harper": 25, "Matilda": 25, "Jessica": 45, "Ruby": 40, "Emma": 30, "Layla": 25,
    "Chloe": 45, "Ellie": 45, "Sophie": 45, "Lucy": 35, "Millie": 40, "Scarlett": 30, "Erin": 25, "Holly": 30,
    "Maisie": 30, "Lola": 25, "Imogen": 25, "Eva": 25, "Hannah": 30, "Zara": 20, "Aisha": 18, "Maryam": 18,
    "Fatima": 15, "Amira": 12, "Hallie": 12, "Esme": 15, "Bonnie": 12, "Harriet": 12, "Lacey": 15, "Lexi": 20,
    "Megan": 25, "Katie": 20, "Amber": 20, "Jasmine": 20, "Leah": 20, "Molly": 30, "Niamh": 15, "Eleanor": 20,
    "Thea": 15, "Aria": 20, "Ayla": 12, "Nancy": 12, "Mila": 15, "Violet": 15, "Bella": 15, "Darcie": 15,
    "Summer": 15, "Paige": 12, "Caitlin": 12, "Bethany": 12, "Abigail": 15, "Georgia": 15, "Madison": 12,
    "Keira": 12, "Tia": 8, "Skye": 10, "Maya": 15, "Anaya": 8, "Zoe": 12, "Heidi": 10, "Orla": 10, "Iris": 10,
    "Luna": 12, "Margot": 8, "Aurora": 10, "Hafsa": 6, "Khadija": 6, "Zuzanna": 5, "Oliwia": 5, "Chidera": 4,
    "Precious": 4, "Nia": 6, "Seren": 5, "Carys": 5, "Eilidh": 4,
}  # fmt: skip

BOYS = {
    "Muhammad": 60, "Noah": 70, "Oliver": 85, "George": 70, "Arthur": 45, "Leo": 55, "Harry": 70, "Oscar": 50,
    "Archie": 50, "Henry": 40, "Theodore": 30, "Freddie": 40, "Jack": 70, "Charlie": 60, "Theo": 35, "Alfie": 50,
    "Jacob": 50, "Thomas": 45, "Finley": 30, "Arlo": 15, "William": 45, "Lucas": 35, "Roman": 12, "Tommy": 20,
    "Isaac": 30, "Teddy": 20, "Luca": 20, "Albie": 15, "Joshua": 45, "James": 45, "Ethan": 40, "Max": 30,
    "Mason": 35, "Reggie": 12, "Elijah": 20, "Edward": 20, "Hunter": 12, "Jude": 15, "Louie": 20, "Logan": 30,
    "Riley": 30, "Harrison": 25, "Dylan": 35, "Daniel": 35, "Samuel": 35, "Joseph": 35, "Benjamin": 25,
    "Sebastian": 20, "Ronnie": 12, "Frankie": 12, "Zachary": 15, "Ibrahim": 12, "Yusuf": 12, "Ali": 10,
    "Omar": 10, "Ayaan": 8, "Kai": 15, "Jaxon": 12, "Harvey": 30, "Tyler": 30, "Kian": 12, "Callum": 20,
    "Connor": 20, "Kyle": 12, "Liam": 20, "Aiden": 15, "Jayden": 25, "Bradley": 12, "Lewis": 20, "Ryan": 25,
    "Jake": 20, "Nathan": 15, "Owen": 15, "Rhys": 12, "Dexter": 10, "Bobby": 15, "Stanley": 15, "Sonny": 15,
    "Ezra": 12, "Rory": 12, "Toby": 15, "Jenson": 12, "Caleb": 10, "Elliot": 12, "Mohammed": 25, "Adam": 25,
    "Hamza": 12, "Zain": 10, "Bilal": 6, "Kacper": 6, "Jakub": 6, "Filip": 5, "Tobias": 6, "Emmanuel": 5,
    "Tyrese": 4, "Kayden": 8, "Dominic": 8, "Aarav": 5, "Ollie": 12, "Carter": 6,
}  # fmt: skip

# Parents: born between the late 1970s and the early 2000s.
WOMEN = {
    "Sarah": 40, "Emma": 40, "Laura": 40, "Rebecca": 35, "Gemma": 30, "Claire": 30, "Kelly": 30, "Amy": 35,
    "Lisa": 25, "Nicola": 25, "Hayley": 25, "Rachel": 30, "Charlotte": 30, "Jessica": 25, "Stacey": 20,
    "Samantha": 25, "Danielle": 25, "Natalie": 25, "Louise": 20, "Victoria": 25, "Jade": 25, "Zoe": 20,
    "Katie": 25, "Leanne": 20, "Kirsty": 20, "Michelle": 20, "Donna": 12, "Joanne": 15, "Karen": 10,
    "Emily": 20, "Lauren": 30, "Chloe": 25, "Shannon": 15, "Amber": 12, "Naomi": 10, "Sophie": 25, "Jodie": 15,
    "Kayleigh": 15, "Toni": 8, "Chantelle": 10, "Shabana": 6, "Nadia": 8, "Fatima": 8, "Aisha": 8, "Sadia": 6,
    "Yasmin": 8, "Ruth": 8, "Helen": 12, "Julie": 8, "Tracey": 8, "Agnieszka": 6, "Joanna": 8, "Precious": 4,
    "Blessing": 5, "Abimbola": 3, "Ioana": 4, "Maria": 10, "Anna": 10, "Bethany": 12, "Megan": 15,
    "Courtney": 12, "Paige": 12, "Jasmine": 10, "Nasreen": 4, "Roxanne": 5, "Siobhan": 6, "Carly": 10,
}  # fmt: skip

MEN = {
    "David": 40, "James": 40, "Daniel": 40, "Christopher": 35, "Michael": 35, "Matthew": 35, "Andrew": 30,
    "Mark": 25, "Paul": 25, "Richard": 20, "Thomas": 30, "Robert": 20, "Lee": 20, "Craig": 20, "Ryan": 25,
    "Dean": 15, "Wayne": 12, "Gary": 12, "Jamie": 25, "Ben": 20, "Adam": 25, "Luke": 25, "Liam": 25,
    "Jordan": 20, "Scott": 20, "Darren": 15, "Stuart": 12, "Kevin": 12, "Steven": 20, "Jason": 12, "Carl": 12,
    "Shaun": 12, "Kieran": 15, "Nathan": 15, "Ashley": 10, "Jack": 20, "Callum": 15, "Connor": 12,
    "Mohammed": 15, "Imran": 8, "Tariq": 6, "Asif": 6, "Kamran": 5, "Bilal": 5, "Piotr": 6, "Tomasz": 6,
    "Marcin": 5, "Emmanuel": 5, "Samuel": 10, "Kwame": 3, "Chidi": 3, "Ionut": 3, "Andrei": 4, "John": 15,
    "Peter": 10, "Stephen": 12, "Martin": 10, "Neil": 8, "Simon": 8, "Anthony": 12, "Joe": 12, "Sam": 12,
    "Tom": 12, "Ricky": 6, "Reece": 8, "Aaron": 12, "Jonathan": 10,
}  # fmt: skip

# Grandparents: born in the 1950s and 1960s.
OLDER_WOMEN = {
    "Margaret": 20, "Susan": 25, "Linda": 20, "Patricia": 15, "Christine": 20, "Janet": 15, "Carol": 15,
    "Elaine": 12, "Brenda": 8, "Pauline": 10, "Sandra": 15, "Julie": 15, "Karen": 20, "Deborah": 12,
    "Jacqueline": 10, "Denise": 10, "Gillian": 8, "Beverley": 8, "Grace": 5, "Shirley": 6, "Parveen": 4,
}  # fmt: skip
OLDER_MEN = {
    "John": 25, "David": 25, "Michael": 20, "Peter": 15, "Alan": 15, "Brian": 12, "Keith": 12, "Graham": 12,
    "Barry": 8, "Terry": 8, "Stephen": 15, "Robert": 15, "Ian": 15, "Kevin": 10, "Colin": 8, "Trevor": 6,
    "Anthony": 10, "Derek": 6, "Raymond": 6, "Mohammed": 4, "Winston": 3,
}  # fmt: skip

FAMILY_NAMES = {
    "Smith": 1100, "Jones": 900, "Williams": 650, "Taylor": 550, "Brown": 500, "Davies": 480, "Evans": 400,
    "Wilson": 380, "Thomas": 370, "Johnson": 350, "Roberts": 340, "Robinson": 300, "Thompson": 300,
    "Wright": 290, "Walker": 280, "White": 270, "Edwards": 260, "Hughes": 260, "Green": 250, "Hall": 250,
    "Lewis": 240, "Harris": 240, "Clarke": 230, "Patel": 230, "Jackson": 220, "Wood": 220, "Turner": 210,
    "Martin": 210, "Cooper": 200, "Hill": 200, "Ward": 200, "Morris": 190, "Moore": 190, "Clark": 190,
    "Lee": 180, "King": 180, "Baker": 180, "Harrison": 180, "Morgan": 170, "Allen": 170, "James": 170,
    "Scott": 170, "Phillips": 160, "Watson": 160, "Davis": 160, "Parker": 150, "Price": 150, "Bennett": 150,
    "Young": 150, "Griffiths": 150, "Mitchell": 150, "Kelly": 140, "Cook": 140, "Carter": 140,
    "Richardson": 140, "Bailey": 140, "Collins": 140, "Bell": 130, "Shaw": 130, "Murphy": 130, "Miller": 130,
    "Cox": 130, "Richards": 130, "Khan": 130, "Marshall": 120, "Anderson": 120, "Simpson": 120, "Ellis": 120,
    "Adams": 120, "Singh": 120, "Begum": 110, "Wilkinson": 110, "Foster": 110, "Chapman": 110, "Powell": 110,
    "Webb": 110, "Rogers": 110, "Gray": 110, "Mason": 110, "Ali": 110, "Hunt": 100, "Hussain": 100,
    "Campbell": 100, "Matthews": 100, "Owen": 100, "Palmer": 100, "Holmes": 100, "Mills": 100, "Barnes": 100,
    "Knight": 100, "Lloyd": 100, "Butler": 100, "Russell": 95, "Barker": 95, "Fisher": 95, "Stevens": 95,
    "Jenkins": 95, "Murray": 95, "Dixon": 95, "Harvey": 95, "Graham": 90, "Pearson": 90, "Ahmed": 90,
    "Fletcher": 90, "Walsh": 90, "Kaur": 90, "Gibson": 85, "Howard": 85, "Andrews": 85, "Stewart": 85,
    "Elliott": 85, "Reynolds": 85, "Saunders": 85, "Payne": 80, "Fox": 80, "Ford": 80, "Pearce": 80, "Day": 80,
    "Brooks": 80, "West": 80, "Lawrence": 80, "Cole": 80, "Atkinson": 75, "Bradley": 75, "Spencer": 75,
    "Gill": 75, "Dawson": 75, "Ball": 75, "Burton": 75, "O'Brien": 75, "Watts": 75, "Rose": 70, "Booth": 70,
    "Perry": 70, "Ryan": 70, "Grant": 70, "Wells": 70, "Armstrong": 70, "Francis": 70, "Rees": 70, "Hayes": 70,
    "Hart": 70, "Hudson": 65, "Newman": 65, "Barrett": 65, "Webster": 65, "Hunter": 65, "Gregory": 65,
    "Carr": 65, "Lowe": 65, "Page": 65, "Marsh": 65, "Riley": 60, "Dunn": 60, "Woods": 60, "Parsons": 60,
    "Berry": 60, "Stone": 60, "Reid": 60, "Holland": 60, "Hawkins": 60, "Harding": 60, "Porter": 55,
    "Robertson": 55, "Newton": 55, "Oliver": 55, "Reed": 55, "Kennedy": 55, "Williamson": 55, "Bird": 55,
    "Gardner": 55, "Shah": 55, "Dean": 50, "Lane": 50, "Cooke": 50, "Bates": 50, "Henderson": 50, "Parry": 50,
    "Burgess": 50, "Bishop": 50, "Walton": 50, "Burns": 50, "Nicholson": 50, "Shepherd": 50, "Ross": 45,
    "Cross": 45, "Long": 45, "Freeman": 45, "Warren": 45, "Nicholls": 45, "Hamilton": 45, "Byrne": 45,
    "Sutton": 45, "McDonald": 45, "Yates": 45, "Hodgson": 40, "Robson": 40, "Curtis": 40, "Hopkins": 40,
    "O'Connor": 40, "Harper": 40, "Coleman": 40, "Watkins": 40, "Moss": 40, "McCarthy": 40, "Chambers": 40,
    "O'Neill": 40, "Griffin": 40, "Sharp": 40, "Hardy": 40, "Wheeler": 40, "Potter": 35, "Osborne": 35,
    "Johnston": 35, "Gordon": 35, "Doyle": 35, "Wallace": 35, "George": 35, "Jordan": 35, "Hutchinson": 35,
    "Rowe": 35, "Burke": 35, "May": 35, "Pritchard": 35, "Gilbert": 35, "Willis": 35, "Higgins": 30,
    "Read": 30, "Miah": 30, "Rahman": 30, "Islam": 30, "Akhtar": 30, "Iqbal": 30, "Mahmood": 30,
    "Chowdhury": 25, "Uddin": 25, "Mohamed": 30, "Ibrahim": 25, "Okafor": 20, "Adeyemi": 20, "Mensah": 20,
    "Osei": 20, "Boateng": 15, "Okoye": 15, "Nowak": 25, "Kowalski": 20, "Wisniewski": 15, "Kaminski": 12,
    "Popescu": 12, "Nguyen": 15, "Chen": 15, "Wang": 12, "Silva": 15, "Santos": 12, "Costa": 10,
    "Ferreira": 10, "Gallagher": 30, "Quinn": 30, "Doherty": 25, "Sandhu": 15, "Dhillon": 12, "Sidhu": 12,
    "Bibi": 30, "Rashid": 20, "Hassan": 25, "Abdi": 15, "Farah": 15, "Yusuf": 15, "Nwosu": 10, "Afolabi": 10,
    "Kamara": 10, "Bangura": 8, "Asante": 10, "Lopez": 10, "Rossi": 8, "Kaya": 8, "Yilmaz": 10, "Demir": 8,
    "Papadopoulos": 6, "Novak": 8, "Horvath": 6, "Balogun": 10, "Owusu": 12, "Malik": 25, "Butt": 20,
    "Qureshi": 15, "Sheikh": 15, "Anwar": 15, "Aziz": 12, "Bashir": 12, "Hanif": 10, "Llewellyn": 10,
    "Pugh": 20, "Vaughan": 15, "Howells": 10, "Prosser": 8, "Fraser": 20, "Ferguson": 20, "Paterson": 15,
    "MacDonald": 20, "Mackenzie": 15, "Sinclair": 10, "Wylie": 8, "Drummond": 8, "Connolly": 15,
    "Kavanagh": 12, "Brennan": 15, "Lynch": 20, "Flanagan": 12, "Fitzgerald": 15, "Dunne": 10,
}  # fmt: skip

STREETS = [
    "Elm Grove", "Station Road", "Church Lane", "Victoria Street", "Mill Lane", "Park Avenue", "Queens Road",
    "Windsor Close", "Meadow View", "Canal Side", "Oak Drive", "Chestnut Way", "Cedar Court", "Manor Road",
    "High Street", "Albert Road", "Beech Crescent", "Orchard Way", "Riverside", "Springfield Road", "Green Lane",
    "Kingsway", "The Crescent", "Hawthorn Avenue", "Willow Walk", "Primrose Hill", "Brook Street",
    "Castle Street", "New Road", "Mount Pleasant", "Falcon Rise", "Heron Way", "Tannery Lane", "Foundry Street",
    "Coronation Avenue", "Jubilee Close", "St Mary's Road", "Westfield Drive", "Larch Gardens", "Sycamore Road",
]  # fmt: skip
FLATS = ["Flat {n}, {house} {street}", "{house} {street}", "{house} {street}", "{house} {street}"]

# Fictional local areas: one per run, so that a second run adds new agencies
# beside the first run's. (Name, postcode area letters.)
AREAS = [
    ("Westmere", "WM"), ("Dunford", "DF"), ("Ashcombe", "AC"), ("Hollingbrook", "HB"), ("Radstone", "RS"),
    ("Thornbury Vale", "TV"), ("Kestleigh", "KL"), ("Marlow Fen", "MF"), ("Brackenfield", "BF"),
    ("Calderbridge", "CB"), ("Eastwold", "EW"), ("Fernhurst", "FH"),
]  # fmt: skip

# Other schools and services that ask for and receive information.
SCHOOL_NAMES = [
    "{area} Academy",
    "St Anne's Church of England Primary School, {area}",
    "{area} Park Primary School",
    "Oakfield Community School, {area}",
    "Holy Family Catholic Primary School, {area}",
    "{area} High School",
]
EXTERNAL_AGENCIES = [
    ("{area} Probation Delivery Unit", "other", "Probation officer"),
    ("{area} Housing Options", "other", "Housing officer"),
    ("{area} Women's Aid", "voluntary", "Independent domestic violence adviser"),
    ("{area} Community Mental Health Team", "health", "Community psychiatric nurse"),
    ("{area} Drug and Alcohol Service", "health", "Recovery worker"),
    ("{area} Nursery and Pre-school", "school", "Nursery manager"),
]

# The long tail: most people's family names are none of the commonest few
# hundred. English place-name surnames (Ashworth, Bradshaw, Thornton, ...)
# stand in for it, each about as common as the rarer names above, so that
# "Smith" is about 1.5% of children, as it is in England.
TAIL_FIRST = [
    "Ash", "Black", "Brad", "Brig", "Cal", "Clay", "Dal", "Down", "East", "Fair", "Farn", "Gold", "Hart", "Hay",
    "Holl", "Horn", "Kings", "Lang", "Mid", "Nor", "Oak", "Pen", "Rad", "Rock", "Rush", "Sand", "Shel", "Stan",
    "Thorn", "Went", "Whit", "Ather", "Bar", "Ches", "Crom", "Elm", "Bux", "Fen", "Lind", "Wain",
]  # fmt: skip
TAIL_LAST = [
    "ley", "ton", "worth", "field", "ford", "by", "wood", "well", "more", "dale", "stone", "bridge", "ham",
    "croft", "hurst", "combe", "shaw", "ridge", "wick", "land",
]  # fmt: skip
TAIL_WEIGHT = 60
for _first in TAIL_FIRST:
    for _last in TAIL_LAST:
        FAMILY_NAMES.setdefault(_first + _last, TAIL_WEIGHT)
