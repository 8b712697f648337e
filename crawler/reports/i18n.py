"""The words of the reports editors read (HTML, Markdown, step summary), in English and German.

Plain dicts, not gettext: two languages in one module, and a test can check that both
catalogues have the same keys and placeholders. A value is a ``str.format`` template, or a
(singular, plural) pair for ``count``. Dates are written as each language writes them
(en "13 March 2026", de "13.03.2026"). The machine reports (JSON, JUnit, SARIF) never
come here: their English is a contract.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("en", "de")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")

MESSAGES: dict[str, dict[str, str | tuple[str, str]]] = {
    "en": {
        # the page and its summary
        "page.title": "citecheck: {document}",
        "summary.checked": "Checked on {date}",
        "summary.replay": "from the saved copy {path}",
        "summary.unreached": ("Incomplete: the run was stopped before {n} address was reached.",
                              "Incomplete: the run was stopped before {n} addresses were reached."),
        "summary.network": "Incomplete: the network was down ({detail}).",
        "summary.distrusted": ("{n} address was fetched afresh: its stored copy no longer matched "
                               "(run citecheck audit).",
                               "{n} addresses were fetched afresh: their stored copies no longer matched "
                               "(run citecheck audit)."),
        "summary.skipped": ("{n} address was skipped, as citations.yaml or --exclude asks.",
                            "{n} addresses were skipped, as citations.yaml or --exclude asks."),
        "summary.actions": "What needs action",
        "summary.nothing": "Nothing needs action: every source passes.",
        "n.footnote": ("{n} footnote", "{n} footnotes"),
        "n.source": ("{n} source", "{n} sources"),
        "n.reference": ("{n} reference", "{n} references"),
        "n.run": ("{n} run", "{n} runs"),
        "n.day_after": ("{n} day after the claimed date", "{n} days after the claimed date"),
        "n.day_before": ("{n} day before the claimed date", "{n} days before the claimed date"),
        "scope": ("{footnotes} cites {sources} ({references})", "{footnotes} cite {sources} ({references})"),
        "tally.fail": ("{n} source fails", "{n} sources fail"),
        "tally.warn": ("{n} source needs a look", "{n} sources need a look"),
        "tally.pass": ("{n} source passes", "{n} sources pass"),
        "severity.fail": "Fails",
        "severity.warn": "Check",
        "severity.pass": "Passes",
        "severity.note": "Tip",
        "fn": "fn {numbers}",
        "and": "and",
        "filter.show": "Show",
        "filter.fail": "Failures",
        "filter.warn": "Warnings",
        "filter.pass": "Passes",
        "filter.footnote": "Footnote",
        "filter.all": "all",
        "footer": "Made by {tool}, run {run}. The evidence behind every verdict is in the run's JSON report.",
        # a source's card
        "card.todo": "What to do:",
        "card.source_id": "in citations.yaml: {id}",
        "card.archived": "archived text: {path}",
        "card.page_text": "What citecheck read on the page",
        "card.text_cut": "Only the first {shown} of its {total} characters are shown; the whole text is in {path}.",
        "card.text_unread": "The archived text {path} could not be read ({reason}); was the archive moved?",
        "card.no_url": "no link",
        "check.link": "Link",
        "check.date": "Date",
        "check.title": "Title",
        "check.footnotes": "Footnotes",
        "link.works": "works (HTTP {status})",
        "link.redirects": "works; redirects to {url}",
        "date.match": "{claimed}: matches the page ({which})",
        "date.page": "the page: {facts}",
        "date.unclaimed": "not stated in the footnote; {page}",
        "date.claimed": "claimed {claimed}",
        "date.claimed_unknown": "unknown",
        "date.accessed": "accessed {date}",
        "date.none": "the page states no date",
        "title.match": "matches: {page}",
        "title.edition": "the link leads to the {language} edition; the {cited} one bears the cited title",
        "pages.cited": "pp. {cited}",
        "pages.ok": "pp. {cited} (the document has {count} pages)",
        "claim.found": "the source bears out {items}",
        "claim.missing": "not in the source: {items}",
        "passage.on_page": "the cited passage is on page {page}",
        "passage.found": "the cited passage is in the text",
        # evidence, in words an editor knows
        "ev.summary": "Evidence: where the dates come from, redirects, the archived copy",
        "ev.what": "Date",
        "ev.where": "Found in",
        "ev.raw": "As written",
        "ev.no_dates": "The page states no date that citecheck could find.",
        "ev.redirects": "Redirects",
        "ev.sha": "Fingerprint of the archived page (SHA-256)",
        "ev.warc": "Archive file (WARC)",
        "ev.unread": "Parts of the page that could not be read",
        "ev.sentence": "The citing sentence of fn {fn}",
        "kind.published": "published",
        "kind.modified": "last updated",
        "kind.unlabelled": "a date without a label",
        "place.metadata": "the page's metadata",
        "place.shown": "the date shown on the page",
        "place.above_headline": "the date shown above the headline",
        "place.below_headline": "the date shown under the headline",
        "place.labelled": "the page's text, after «{label}»",
        "place.text": "the page's text",
        "place.url": "the address (URL)",
        "place.header": "the server's record of the last change",
        "place.pdf": "the PDF's document properties",
        "place.pdf_page": "the text of PDF page {page}",
        "place.guess": "a best guess from the whole page",
        "place.page": "the page",
        # what is wrong (problem.*) and what to do (fix.*)
        "problem.no_url": "The link was lost.",
        "fix.no_url": "Find the article's address and add it to citations.yaml (source {id}).",
        "problem.dead": "The link is dead: {what}.",
        "fix.dead_rescue": "Archived copy from {date} ({when}): {url} Link it instead, or find the page's new address.",
        "fix.dead": "Find the page's new address, or an archived copy (web.archive.org), and update the link.",
        "problem.transient": "The site did not answer properly: {what}.",
        "fix.transient": "Nothing to change yet: the next run checks again.",
        "fix.transient_lasting": "It has failed on {runs} since {date}: find the page's new address, "
                                 "or link an archived copy.",
        "problem.blocked": "The site turned citecheck away: {what}.",
        "fix.blocked": "Open the link in a browser: if the page is there, nothing to fix.",
        "problem.unreadable": "The file could not be read: {what}.",
        "fix.unreadable": "Open it in a browser: if it reads fine, nothing to fix; otherwise find another copy.",
        "problem.bad_address": "The address cannot be used: {what}.",
        "fix.bad_address": "Check the address in citations.yaml (source {id}).",
        "problem.mismatch": "The claimed date {claimed} is not on the page ({page}).",
        "problem.claim_unknown": "The footnote says the date is unknown, but the page gives one ({page}).",
        "fix.set_date": "Set the claimed date to {date} ({which}).",
        "which.modified": "the page's last update",
        "which.published": "the page's publication date",
        "fix.or_archived": "Or cite the archived copy from {date}: {url}",
        "problem.no_date_anywhere": "Neither the footnote nor the page states a date.",
        "fix.no_date_anywhere": "Nothing to correct. If a date is wanted, give the date of access: "
                                "citecheck read the page on {date}.",
        "problem.no_page_date": "The page states no date, so the claimed {claimed} cannot be checked.",
        "fix.no_page_date": "Look for the date in the archived text; if there is none, write that the date is unknown.",
        "problem.updated": "The page was updated on {modified}, after the claimed {claimed}.",
        "fix.updated": "Check that the passage still stands, then set the claimed date to {date} (the page's last update).",
        "problem.title_differs": "The page's title differs: {page}.",
        "fix.title_differs": "Check that the link leads to the cited work; if it does, correct the cited title.",
        "problem.title_foreign": "The page is in {language} and shares nothing with the cited title: {page}.",
        "fix.title_foreign": "Check the link: it may lead to another article.",
        "problem.translation": "The page is the {language} edition; the cited title is in {cited}.",
        "fix.translation": "Link the {cited} edition if there is one, or cite the page's own title {page}.",
        "fix.edition": "Link the {cited} edition, which bears the cited title: {url}",
        "problem.out_of_range": "The cited pages {cited} are beyond the document's {count} pages.",
        "fix.out_of_range": "Correct the page numbers, or check that the link leads to the cited edition.",
        "problem.passage": "The cited passage is no longer in the text.",
        "fix.passage": "Compare it with the archived text; quote the current wording or cite an archived copy.",
        "problem.unsupported": "None of the sentence's numbers, dates and names is in the source ({missing}).",
        "fix.unsupported": "Check that the footnote cites the right source and that the source says this.",
        "problem.contradiction": "The sentence says {anchor}; the source says {source_says}: «{snippet}».",
        "fix.contradiction": "Correct the sentence, or check which source it rests on.",
        "problem.other": "{reason}",
        "fix.other": "See the reason above.",
        "note.changed": "The page changed since the run of {date} ({similarity} of the text the same).",
        "fix.changed": "Check that the cited passage still stands.",
        "fix.changed_claim": "Check that the cited passage still stands; the claimed date {claimed} may be out of date.",
        "note.failing_since": "Failing since {date} ({runs}).",
        "note.rescue": "Archived copy from {date} ({when}): {url}",
        "note.unread": "Some parts of the page could not be read; the rest was checked.",
        # link verdicts in words
        "link.no_url": "none (lost or never given)",
        "link.moved_to_homepage": "it now leads to the site's home page",
        "link.soft_404": "it leads to a “page not found” page",
        "link.not_found": "page not found (HTTP 404)",
        "link.gone": "page removed (HTTP 410)",
        "link.dns_error": "the site's domain no longer exists",
        "link.redirect_loop": "it redirects in circles",
        "link.invalid_url": "a redirect leads to no valid address",
        "link.unsafe_url": "it points to a private or unsafe address",
        "link.blocked": "bot protection, a login or robots.txt",
        "link.rate_limited": "too many requests (HTTP 429)",
        "link.server_error": "a server error",
        "link.timeout": "no answer in time",
        "link.connection_error": "the connection failed",
        "link.tls_error": "a broken security certificate",
        "link.resolver_error": "the domain could not be looked up",
        "link.unreadable": "damaged, locked or not what it claims to be",
        "link.too_large": "it is too large to check",
        "link.other": "{code}",
        # Markdown and the step summary
        "md.run": "run {id}",
        "md.references": "{n} references: {counts}",
        "md.exit": "exit {code}",
        "md.replay": "replayed from {path}",
        "md.counts": "{fail} fail, {warn} warn, {pass} pass",
        "md.fix": "fix: {fix}",
        "md.page": "page: {facts}",
        "md.group.fail": "Failures",
        "md.group.warn": "Warnings",
        "md.group.pass": "Passes",
        "md.skipped": "Skipped",
        "md.mark.fail": "FAIL",
        "md.mark.warn": "WARN",
        "md.mark.pass": "PASS",
        "md.fn": "fn {fn}",
        "md.claim": "claim: {text}",
        "gh.head": "| Verdict | Fn | Source | What to do |",
        "gh.mark.fail": "❌ fail",
        "gh.mark.warn": "⚠️ warn",
        "gh.mark.pass": "✅ pass",
        "gh.passed": "{n} passed",
    },
    "de": {
        "page.title": "citecheck: {document}",
        "summary.checked": "Geprüft am {date}",
        "summary.replay": "aus der gespeicherten Kopie {path}",
        "summary.unreached": ("Unvollständig: der Lauf wurde abgebrochen, bevor {n} Adresse erreicht war.",
                              "Unvollständig: der Lauf wurde abgebrochen, bevor {n} Adressen erreicht waren."),
        "summary.network": "Unvollständig: das Netz war nicht erreichbar ({detail}).",
        "summary.distrusted": ("{n} Adresse wurde neu abgerufen: ihre gespeicherte Kopie stimmte nicht mehr "
                               "(citecheck audit ausführen).",
                               "{n} Adressen wurden neu abgerufen: ihre gespeicherten Kopien stimmten nicht mehr "
                               "(citecheck audit ausführen)."),
        "summary.skipped": ("{n} Adresse wurde übersprungen, wie citations.yaml oder --exclude es verlangt.",
                            "{n} Adressen wurden übersprungen, wie citations.yaml oder --exclude es verlangt."),
        "summary.actions": "Was zu tun ist",
        "summary.nothing": "Nichts zu tun: alle Quellen sind in Ordnung.",
        "n.footnote": ("{n} Fußnote", "{n} Fußnoten"),
        "n.source": ("{n} Quelle", "{n} Quellen"),
        "n.reference": ("{n} Beleg", "{n} Belege"),
        "n.run": ("{n} Lauf", "{n} Läufe"),
        "n.day_after": ("{n} Tag nach dem angegebenen Datum", "{n} Tage nach dem angegebenen Datum"),
        "n.day_before": ("{n} Tag vor dem angegebenen Datum", "{n} Tage vor dem angegebenen Datum"),
        "scope": ("{footnotes} zitiert {sources} ({references})", "{footnotes} zitieren {sources} ({references})"),
        "tally.fail": ("{n} Quelle mit Fehler", "{n} Quellen mit Fehlern"),
        "tally.warn": ("{n} Quelle zu prüfen", "{n} Quellen zu prüfen"),
        "tally.pass": ("{n} Quelle in Ordnung", "{n} Quellen in Ordnung"),
        "severity.fail": "Fehler",
        "severity.warn": "Prüfen",
        "severity.pass": "In Ordnung",
        "severity.note": "Hinweis",
        "fn": "Fn. {numbers}",
        "and": "und",
        "filter.show": "Anzeigen",
        "filter.fail": "Fehler",
        "filter.warn": "Warnungen",
        "filter.pass": "In Ordnung",
        "filter.footnote": "Fußnote",
        "filter.all": "alle",
        "footer": "Erstellt von {tool}, Lauf {run}. Die Belege jedes Urteils stehen im JSON-Bericht des Laufs.",
        "card.todo": "Zu tun:",
        "card.source_id": "in citations.yaml: {id}",
        "card.archived": "archivierter Text: {path}",
        "card.page_text": "Was citecheck auf der Seite gelesen hat",
        "card.text_cut": "Gezeigt sind nur die ersten {shown} der {total} Zeichen; der ganze Text steht in {path}.",
        "card.text_unread": "Der archivierte Text {path} ließ sich nicht lesen ({reason}); "
                            "wurde das Archiv verschoben?",
        "card.no_url": "kein Link",
        "check.link": "Link",
        "check.date": "Datum",
        "check.title": "Titel",
        "check.footnotes": "Fußnoten",
        "link.works": "erreichbar (HTTP {status})",
        "link.redirects": "erreichbar; leitet weiter auf {url}",
        "date.match": "{claimed}: stimmt mit der Seite überein ({which})",
        "date.page": "die Seite: {facts}",
        "date.unclaimed": "in der Fußnote nicht angegeben; {page}",
        "date.claimed": "angegeben {claimed}",
        "date.claimed_unknown": "unbekannt",
        "date.accessed": "abgerufen am {date}",
        "date.none": "die Seite nennt kein Datum",
        "title.match": "stimmt überein: {page}",
        "title.edition": "der Link führt zur Ausgabe auf {language}; die Ausgabe auf {cited} trägt den zitierten Titel",
        "pages.cited": "S. {cited}",
        "pages.ok": "S. {cited} (das Dokument hat {count} Seiten)",
        "claim.found": "die Quelle belegt {items}",
        "claim.missing": "nicht in der Quelle: {items}",
        "passage.on_page": "die zitierte Stelle steht auf S. {page}",
        "passage.found": "die zitierte Stelle steht im Text",
        "ev.summary": "Belege: woher die Daten stammen, Weiterleitungen, die archivierte Kopie",
        "ev.what": "Datum",
        "ev.where": "Fundort",
        "ev.raw": "Wortlaut",
        "ev.no_dates": "Die Seite nennt kein Datum, das citecheck finden konnte.",
        "ev.redirects": "Weiterleitungen",
        "ev.sha": "Prüfsumme der archivierten Seite (SHA-256)",
        "ev.warc": "Archivdatei (WARC)",
        "ev.unread": "Teile der Seite, die nicht gelesen werden konnten",
        "ev.sentence": "Der zitierende Satz von Fn. {fn}",
        "kind.published": "veröffentlicht",
        "kind.modified": "zuletzt aktualisiert",
        "kind.unlabelled": "ein Datum ohne Bezeichnung",
        "place.metadata": "die Metadaten der Seite",
        "place.shown": "das auf der Seite angezeigte Datum",
        "place.above_headline": "das Datum über der Überschrift",
        "place.below_headline": "das Datum unter der Überschrift",
        "place.labelled": "der Text der Seite, nach «{label}»",
        "place.text": "der Text der Seite",
        "place.url": "die Adresse (URL)",
        "place.header": "die Angabe des Servers zur letzten Änderung",
        "place.pdf": "die Dokumenteigenschaften des PDF",
        "place.pdf_page": "der Text von PDF-Seite {page}",
        "place.guess": "eine Schätzung aus der ganzen Seite",
        "place.page": "die Seite",
        "problem.no_url": "Der Link ist verloren gegangen.",
        "fix.no_url": "Suchen Sie die Adresse des Artikels und tragen Sie sie in citations.yaml ein (Quelle {id}).",
        "problem.dead": "Der Link ist tot: {what}.",
        "fix.dead_rescue": "Archivierte Kopie vom {date} ({when}): {url} Verlinken Sie diese, "
                           "oder suchen Sie die neue Adresse der Seite.",
        "fix.dead": "Suchen Sie die neue Adresse der Seite oder eine archivierte Kopie (web.archive.org) "
                    "und ändern Sie den Link.",
        "problem.transient": "Die Seite hat nicht richtig geantwortet: {what}.",
        "fix.transient": "Noch nichts zu ändern: der nächste Lauf prüft erneut.",
        "fix.transient_lasting": "Das geht seit {date} so ({runs}): suchen Sie die neue Adresse der Seite "
                                 "oder verlinken Sie eine archivierte Kopie.",
        "problem.blocked": "Die Seite hat citecheck abgewiesen: {what}.",
        "fix.blocked": "Öffnen Sie den Link im Browser: ist die Seite da, ist nichts zu tun.",
        "problem.unreadable": "Die Datei konnte nicht gelesen werden: {what}.",
        "fix.unreadable": "Öffnen Sie sie im Browser: ist sie lesbar, ist nichts zu tun; sonst suchen Sie "
                          "eine andere Kopie.",
        "problem.bad_address": "Die Adresse ist nicht verwendbar: {what}.",
        "fix.bad_address": "Prüfen Sie die Adresse in citations.yaml (Quelle {id}).",
        "problem.mismatch": "Das angegebene Datum {claimed} steht nicht auf der Seite ({page}).",
        "problem.claim_unknown": "Die Fußnote nennt das Datum unbekannt, die Seite nennt eines ({page}).",
        "fix.set_date": "Setzen Sie das angegebene Datum auf {date} ({which}).",
        "which.modified": "letzte Aktualisierung der Seite",
        "which.published": "Veröffentlichungsdatum der Seite",
        "fix.or_archived": "Oder zitieren Sie die archivierte Kopie vom {date}: {url}",
        "problem.no_date_anywhere": "Weder die Fußnote noch die Seite nennt ein Datum.",
        "fix.no_date_anywhere": "Nichts zu korrigieren. Soll ein Datum stehen, nennen Sie das Abrufdatum: "
                                "citecheck hat die Seite am {date} gelesen.",
        "problem.no_page_date": "Die Seite nennt kein Datum; das angegebene {claimed} lässt sich nicht prüfen.",
        "fix.no_page_date": "Suchen Sie das Datum im archivierten Text; fehlt es, vermerken Sie das Datum als unbekannt.",
        "problem.updated": "Die Seite wurde am {modified} aktualisiert, nach dem angegebenen {claimed}.",
        "fix.updated": "Prüfen Sie, ob die Stelle noch steht, und setzen Sie dann das angegebene Datum auf {date} "
                       "(letzte Aktualisierung der Seite).",
        "problem.title_differs": "Der Titel der Seite weicht ab: {page}.",
        "fix.title_differs": "Prüfen Sie, ob der Link zum zitierten Werk führt; wenn ja, korrigieren Sie den "
                             "zitierten Titel.",
        "problem.title_foreign": "Die Seite ist auf {language} und hat nichts mit dem zitierten Titel gemein: "
                                 "{page}.",
        "fix.title_foreign": "Prüfen Sie den Link: er führt vielleicht zu einem anderen Artikel.",
        "problem.translation": "Die Seite ist die Ausgabe auf {language}; der zitierte Titel ist auf {cited}.",
        "fix.translation": "Verlinken Sie, falls vorhanden, die Ausgabe auf {cited}, oder zitieren Sie den Titel "
                           "der Seite: {page}.",
        "fix.edition": "Verlinken Sie die Ausgabe auf {cited}, die den zitierten Titel trägt: {url}",
        "problem.out_of_range": "Die zitierten Seiten {cited} liegen jenseits der {count} Seiten des Dokuments.",
        "fix.out_of_range": "Korrigieren Sie die Seitenzahlen, oder prüfen Sie, ob der Link zur zitierten "
                            "Ausgabe führt.",
        "problem.passage": "Die zitierte Stelle steht nicht mehr im Text.",
        "fix.passage": "Vergleichen Sie sie mit dem archivierten Text; zitieren Sie den heutigen Wortlaut oder "
                       "eine archivierte Kopie.",
        "problem.unsupported": "Keine Zahl, kein Datum und kein Name des Satzes steht in der Quelle ({missing}).",
        "fix.unsupported": "Prüfen Sie, ob die Fußnote die richtige Quelle nennt und ob die Quelle das sagt.",
        "problem.contradiction": "Der Satz sagt {anchor}, die Quelle {source_says}: «{snippet}».",
        "fix.contradiction": "Korrigieren Sie den Satz, oder prüfen Sie, auf welcher Quelle er beruht.",
        "problem.other": "{reason}",
        "fix.other": "Siehe den Grund oben.",
        "note.changed": "Die Seite hat sich seit dem Lauf vom {date} geändert ({similarity} des Textes gleich).",
        "fix.changed": "Prüfen Sie, ob die zitierte Stelle noch steht.",
        "fix.changed_claim": "Prüfen Sie, ob die zitierte Stelle noch steht; das angegebene Datum {claimed} ist "
                             "vielleicht überholt.",
        "note.failing_since": "Fehlerhaft seit {date} ({runs}).",
        "note.rescue": "Archivierte Kopie vom {date} ({when}): {url}",
        "note.unread": "Einige Teile der Seite waren nicht lesbar; der Rest wurde geprüft.",
        "link.no_url": "keiner (verloren oder nie angegeben)",
        "link.moved_to_homepage": "er führt jetzt zur Startseite der Website",
        "link.soft_404": "er führt zu einer Seite „nicht gefunden“",
        "link.not_found": "Seite nicht gefunden (HTTP 404)",
        "link.gone": "Seite entfernt (HTTP 410)",
        "link.dns_error": "die Domain der Website gibt es nicht mehr",
        "link.redirect_loop": "er leitet im Kreis weiter",
        "link.invalid_url": "eine Weiterleitung führt zu keiner gültigen Adresse",
        "link.unsafe_url": "er zeigt auf eine private oder unsichere Adresse",
        "link.blocked": "Bot-Schutz, Anmeldung oder robots.txt",
        "link.rate_limited": "zu viele Anfragen (HTTP 429)",
        "link.server_error": "ein Serverfehler",
        "link.timeout": "keine Antwort in der Zeit",
        "link.connection_error": "die Verbindung schlug fehl",
        "link.tls_error": "ein fehlerhaftes Sicherheitszertifikat",
        "link.resolver_error": "die Domain ließ sich nicht auflösen",
        "link.unreadable": "beschädigt, gesperrt oder nicht, was sie vorgibt",
        "link.too_large": "sie ist zu groß zum Prüfen",
        "link.other": "{code}",
        "md.run": "Lauf {id}",
        "md.references": "{n} Belege: {counts}",
        "md.exit": "Exit-Code {code}",
        "md.replay": "wiedergegeben aus {path}",
        "md.counts": "{fail} Fehler, {warn} Warnungen, {pass} in Ordnung",
        "md.fix": "zu tun: {fix}",
        "md.page": "Seite: {facts}",
        "md.group.fail": "Fehler",
        "md.group.warn": "Warnungen",
        "md.group.pass": "In Ordnung",
        "md.skipped": "Übersprungen",
        "md.mark.fail": "FEHLER",
        "md.mark.warn": "WARNUNG",
        "md.mark.pass": "OK",
        "md.fn": "Fn. {fn}",
        "md.claim": "Aussage: {text}",
        "gh.head": "| Ergebnis | Fn. | Quelle | Zu tun |",
        "gh.mark.fail": "❌ Fehler",
        "gh.mark.warn": "⚠️ Warnung",
        "gh.mark.pass": "✅ in Ordnung",
        "gh.passed": "{n} in Ordnung",
    },
}

LANGUAGE_NAMES = {
    "en": {"en": "English", "de": "German", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian",
           "kk": "Kazakh", "ky": "Kyrgyz", "uz": "Uzbek", "tg": "Tajik", "tk": "Turkmen", "az": "Azerbaijani",
           "ka": "Georgian", "hy": "Armenian", "ro": "Romanian", "pl": "Polish", "fr": "French", "es": "Spanish",
           "it": "Italian", "tr": "Turkish", "zh": "Chinese", "ar": "Arabic", "fa": "Persian"},
    "de": {"en": "Englisch", "de": "Deutsch", "ru": "Russisch", "uk": "Ukrainisch", "be": "Belarussisch",
           "kk": "Kasachisch", "ky": "Kirgisisch", "uz": "Usbekisch", "tg": "Tadschikisch", "tk": "Turkmenisch",
           "az": "Aserbaidschanisch", "ka": "Georgisch", "hy": "Armenisch", "ro": "Rumänisch", "pl": "Polnisch",
           "fr": "Französisch", "es": "Spanisch", "it": "Italienisch", "tr": "Türkisch", "zh": "Chinesisch",
           "ar": "Arabisch", "fa": "Persisch"},
}
OTHER_LANGUAGE = {"en": "another language", "de": "einer anderen Sprache"}


def check(lang: str) -> str:
    """The language, or ValueError: a typo must not quietly give an English report."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r} (known: {', '.join(LANGUAGES)})")
    return lang


def text(lang: str, key: str, **values: object) -> str:
    return str(MESSAGES[check(lang)][key]).format(**values)


def count(lang: str, key: str, n: int, **values: object) -> str:
    """'1 source', '3 sources': the form for ``n``, filled with ``n`` and ``values``."""
    one, other = MESSAGES[check(lang)][key]
    return (one if n == 1 else other).format(n=n, **values)


def day(value: object, lang: str) -> str:
    """'2026-03-13' or an ISO timestamp -> '13 March 2026' (en), '13.03.2026' (de); anything else as it is."""
    raw = "" if value is None else str(value)
    try:
        date = dt.date.fromisoformat(raw[:10])
    except ValueError:
        return raw
    if check(lang) == "de":
        return f"{date.day:02d}.{date.month:02d}.{date.year}"
    return f"{date.day} {MONTHS_EN[date.month - 1]} {date.year}"


def claimed_day(value: object, lang: str) -> str:
    """A footnote's claimed date: a day, or the word for "unknown"."""
    return text(lang, "date.claimed_unknown") if value == "unknown" else day(value, lang)


def percent(share: float, lang: str) -> str:
    """0.81 -> '81%' (en), '81 %' (de)."""
    return f"{round(share * 100)}{' %' if check(lang) == 'de' else '%'}"


def number(n: int, lang: str) -> str:
    """12345 -> '12,345' (en), '12.345' (de)."""
    return f"{n:,}".replace(",", "." if check(lang) == "de" else ",")


def language_name(code: object, lang: str) -> str:
    """'ru' -> 'Russian' / 'Russisch'; an unknown code -> 'another language'."""
    names = LANGUAGE_NAMES[check(lang)]
    return names.get(str(code or "").lower().split("-")[0], OTHER_LANGUAGE[lang])


def quoted(title: object, lang: str) -> str:
    """A title in the language's quotation marks, or in the other pair where it holds guillemets itself
    («В России его ждет мясорубка». Беженцы … would otherwise read ««…»)."""
    text = str(title or "")
    if "«" in text or "»" in text:
        return f"„{text}“" if check(lang) == "de" else f"“{text}”"
    return f"«{text}»"


def listing(items: list[str], lang: str) -> str:
    """'a, b and c'."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {text(lang, 'and')} {items[-1]}"
