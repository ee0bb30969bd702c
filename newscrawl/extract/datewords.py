"""Date vocabulary as data: month names in several languages and time-zone abbreviations."""

_MONTH_NAMES = {
    1: "january jan janvier janv janv. januar jänner jän enero ene gennaio genn gen janeiro "
       "januari janeiro jaanuar styczeń stycznia sty leden ledna ocak январь января янв "
       "tammikuuta tammikuu januára gener xaneiro urtarrila ianuarie",
    2: "february feb febr février févr fevrier februar febrero febbraio fev fevereiro februari "
       "luty lutego lut únor února şubat subat февраль февраля фев helmikuuta helmikuu februára "
       "febrer febreiro otsaila februarie",
    3: "march mar mars märz maerz marzo março marco maart marts mars marzec marca březen března "
       "mart март марта maaliskuuta maaliskuu marca març martxoa martie",
    4: "april apr avril avr abril aprile aprilie kwiecień kwietnia kwi duben dubna nisan "
       "апрель апреля апр huhtikuuta huhtikuu apríla apirila",
    5: "may mai mayo maggio maio mei maj mag maja květen května mayıs mayis май мая "
       "toukokuuta toukokuu mája maig maiatza",
    6: "june jun juin juni junio giugno junho czerwiec czerwca cze červen června haziran "
       "июнь июня июн kesäkuuta kesäkuu júna juny xuño ekaina iunie",
    7: "july jul juil juil. juillet juli julio luglio julho lipiec lipca lip červenec července "
       "temmuz июль июля июл heinäkuuta heinäkuu júla juliol xullo uztaila iulie",
    8: "august aug août aout agosto ago augustus augusti sierpień sierpnia sie srpen srpna "
       "ağustos agustos август августа авг elokuuta elokuu augusta agost abuztua",
    9: "september sep sept septembre septiembre set settembre setembro wrzesień września wrz "
       "září eylül eylul сентябрь сентября сен syyskuuta syyskuu septembra setembre iraila "
       "septembrie",
    10: "october oct octobre oktober octubre ottobre outubro okt październik października paź "
        "říjen října ekim октябрь октября окт lokakuuta lokakuu októbra octubre urria "
        "octombrie",
    11: "november nov novembre noviembre novembro listopad listopadu lis kasım kasim ноябрь "
        "ноября ноя marraskuuta marraskuu novembra azaroa noiembrie",
    12: "december dec décembre decembre dezember diciembre dicembre dezembro dic dez grudzień "
        "grudnia gru prosinec prosince aralık aralik декабрь декабря дек joulukuuta joulukuu "
        "decembra desembre decembrie abendua",
}

MONTHS: dict[str, int] = {}
for _num, _words in _MONTH_NAMES.items():
    for _w in _words.split():
        MONTHS.setdefault(_w.rstrip("."), _num)
# common zone abbreviations -> offset (ambiguous ones resolved to the usual news-site meaning)
TZ_OFFSETS: dict[str, str] = {
    "UTC": "+00:00", "GMT": "+00:00", "UT": "+00:00", "Z": "+00:00", "WET": "+00:00",
    "BST": "+01:00", "IST": "+05:30", "CET": "+01:00", "CEST": "+02:00", "MEZ": "+01:00",
    "MESZ": "+02:00", "WEST": "+01:00", "EET": "+02:00", "EEST": "+03:00", "MSK": "+03:00",
    "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00",
    "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00", "AKST": "-09:00", "AKDT": "-08:00",
    "HST": "-10:00", "AST": "-04:00", "ADT": "-03:00", "NST": "-03:30", "NDT": "-02:30",
    "AEST": "+10:00", "AEDT": "+11:00", "ACST": "+09:30", "ACDT": "+10:30", "AWST": "+08:00",
    "NZST": "+12:00", "NZDT": "+13:00", "JST": "+09:00", "KST": "+09:00", "HKT": "+08:00",
    "SGT": "+08:00", "PHT": "+08:00", "WIB": "+07:00", "ICT": "+07:00", "PKT": "+05:00",
    "SAST": "+02:00", "WAT": "+01:00", "EAT": "+03:00", "CAT": "+02:00", "BRT": "-03:00",
    "ART": "-03:00",
}
