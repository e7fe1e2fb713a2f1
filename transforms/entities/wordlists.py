"""Words that are place names too, but read as something else first: given names and common
English words. The gazetteer leaves them out, so a span like 'Sofia' or 'Mobile' is never turned
into a place on the strength of a name list alone. General knowledge, lower case."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Given names (and names used as both given and family names) that are also the names of
# towns, cities or regions somewhere: 'Sofia', 'Santiago', 'Florence', 'Jackson', 'Lincoln'.
GIVEN_NAMES = _words("""
aaron abigail adam adelaide adrian agnes aisha alba albert alberto alejandro alex alexander
alexandra alexandria alfonso alfred ali alice alicia allen alma alvin amanda amelia amir amos
ana andrea andrew angel angela angelina anita ann anna anne annie anthony antonio april archer
arthur ashley ashton aston aubrey audrey augusta augustin austin ava avery barbara barry beatriz
bella ben benedict benjamin bernard beverly blair bonnie boris bradford bradley brandon brenda
brian bridget brighton brook brooke bruce bruno byron caleb camden cameron camila carla carlos
carmen carol caroline carson carter catalina cecilia celeste chandler charles charlotte chelsea
chester christian christina clara clarence claudia clay clayton clifford clifton clinton colby
colin columbus conrad cooper cordoba cortez craig cruz cynthia dakota dale dallas damian daniel
daniela darwin david dayton dean delia denise denver devon diana diego dolores dominic donna
dorothy douglas dudley duncan dylan easton eden edgar edison edmond edmonton edward elena eli
elias elijah elizabeth ella ellis elsa elvira emerson emil emilia emily emma emmanuel enrique
eric erica ernest esperanza esther eugene eva evan evelyn everett fabian fatima federico felix
fernando florence florida francis francisco frank franklin frederick gabriel gabriela garfield
genesis george georgia gilbert gloria gordon grace graham grant greta griffin guadalupe gustavo
hamilton hannah harley harlow harper harrison harry hayden hazel helen helena henry herbert
hilda holly hope houston howard hudson hugo ian ibrahim ignacio ines irene iris isaac isabel
isabella ivan ivy jack jackson jacob jaime james jamie jasmine jason javier jefferson jesse
jesus joan joanna john jonathan jordan jorge jose joseph joshua juan judith julia julian juliana
julie julio june justin karen karim kate katherine kathleen kelly kennedy kent kevin kimberly
kingston kira lafayette lancaster laura lauren lawrence leah lee leila lena leo leon leonardo
leslie lewis liam lily lima lincoln linda lisa logan lorena lorenzo louis louisa lourdes lucas
lucia luis luka luna lydia lynn madison magdalena mae malcolm manuel marcus margaret maria
mariana marianna marie marina mario marion mark marshall martha martin mary mason matilda
maurice max maxwell maya melbourne melissa mercedes michael miguel milan milton miranda mohamed
monica montgomery morgan moses muhammad murray nadia nancy naomi natalia nathan nelson nicholas
nicole nina noah noel nora norman octavia olga oliver olivia omar orlando oscar owen pablo pamela
paris patricia patrick paul paula pearl pedro penelope perry peter philip phoenix pierre preston
priscilla quincy rachel rafael ralph ramon raquel raymond rebecca regina reno richard riley rita
robert roberto rochester rodrigo roger roland roman rosa rosario rose ruby russell ruth ryan
sabrina sadie salem salvador sam samantha samuel sandra santiago santos sara sarah savannah
scott sebastian selma sergio seville shannon sharon sheffield shelby shelton sherman sidney
sierra simon sofia solomon sonia sophia stanley stella stephanie stephen sterling steven stuart
sullivan susan sydney sylvia taylor teresa theodore thomas timothy tracy travis trinidad troy
tyler ursula valencia valentina vanessa vera veronica victor victoria vincent violet virginia
vivian walter warren washington wayne wesley whitney william wilson winston xavier yolanda
york yusuf zachary
""")

# Common English words that also name a populated place: 'Mobile', 'Reading', 'Split',
# 'Independence', 'Union'. A capitalised one is more often a sentence start, a brand or part
# of a name than the town.
COMMON_WORDS = _words("""
along anew annex antique apace awash bake bale bank bar barbate bath bay bear bell bend best
bong boo boom bountiful bow brad bray brusque buffalo bury bush butterfly buy can canton cascade
cat central centre center chin clay coast coin come comal commerce concord converse cork date
deal debar delta dig dire dour eagle east eastern ebon encamp enterprise erode evergreen falcon
fate federal fleet flint forest gap garden garland garner gay golden gore green hale harrow hem
highland hire hit holiday hollywood hook hoover horn hue humble imperial independence jam
jingling lend liberal liberty littoral lop lot magenta male man manage manly march meridian
midland midway mine mission mobile mono most much natal nice normal north north-west northern
ocher officer olympic oral orange overland pace paramount pare parole peer pen perm plateau
plum plunge police pool pop pout progress prosper providence punch reading retreat revere rich
rivers rouge salt same samba save savage say shaping shush silvan skive slough south south-west
southern split spring stoke store stow sue sulphur summit sunrise sunset superior surprise tame
tank temple terrace time tire tucker union upland uptown vestal victory ware west western
westerly young
""")
