<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AgentsPage</name>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>Hold the agent&apos;s queue: messages wait until it is resumed (Ctrl+P)</source>
        <translation>Die Warteschlange des Agenten anhalten: Nachrichten warten, bis er fortgesetzt wird (Strg+P)</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Let the agent take messages again (Ctrl+Shift+P)</source>
        <translation>Den Agenten wieder Nachrichten annehmen lassen (Strg+Umschalt+P)</translation>
    </message>
    <message>
        <source>&amp;Inject to…</source>
        <translation>&amp;Senden an…</translation>
    </message>
    <message>
        <source>Send a message to this agent</source>
        <translation>Diesem Agenten eine Nachricht senden</translation>
    </message>
    <message>
        <source>Handler:</source>
        <translation>Handler:</translation>
    </message>
    <message>
        <source>Accepts:</source>
        <translation>Nimmt an:</translation>
    </message>
    <message>
        <source>Peers:</source>
        <translation>Peers:</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>Letzter Fehler:</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>Schema</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>Beispiel</translation>
    </message>
</context>
<context>
    <name>BudgetDialog</name>
    <message>
        <source>Raise the thread&apos;s budget</source>
        <translation>Budget des Threads erhöhen</translation>
    </message>
    <message>
        <source>&amp;New maximum (tokens):</source>
        <translation>&amp;Neues Maximum (Tokens):</translation>
    </message>
</context>
<context>
    <name>CapabilitiesPage</name>
    <message>
        <source>Schema (XSD):</source>
        <translation>Schema (XSD):</translation>
    </message>
    <message>
        <source>Example payload:</source>
        <translation>Beispiel-Payload:</translation>
    </message>
    <message>
        <source>&amp;Inject this example…</source>
        <translation>Dieses Beispiel &amp;senden…</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Hosts a multi-agent organism, serves the AgentServer API and shows it live in a desktop window.</source>
        <translation>Betreibt einen Multi-Agenten-Organismus, stellt die AgentServer-API bereit und zeigt ihn live in einem Desktop-Fenster.</translation>
    </message>
    <message>
        <source>Organism configuration (organism.yaml). Default: the bundled demo.</source>
        <translation>Konfiguration des Organismus (organism.yaml). Vorgabe: die mitgelieferte Demo.</translation>
    </message>
    <message>
        <source>Run without a window until SIGINT or SIGTERM.</source>
        <translation>Ohne Fenster laufen, bis SIGINT oder SIGTERM eintrifft.</translation>
    </message>
    <message>
        <source>Address the API listens on. Default: 127.0.0.1.</source>
        <translation>Adresse, auf der die API lauscht. Vorgabe: 127.0.0.1.</translation>
    </message>
    <message>
        <source>API port. Default: organism.port (8765).</source>
        <translation>Port der API. Vorgabe: organism.port (8765).</translation>
    </message>
    <message>
        <source>Where the history is kept. Default: the user&apos;s data directory.</source>
        <translation>Wo der Verlauf gespeichert wird. Vorgabe: das Datenverzeichnis des Benutzers.</translation>
    </message>
    <message>
        <source>Show the window even on the offscreen or minimal platform.</source>
        <translation>Das Fenster auch auf der Plattform „offscreen“ oder „minimal“ zeigen.</translation>
    </message>
    <message>
        <source>Save a PNG of every page into DIR, then quit.</source>
        <translation>Jede Seite als PNG in DIR speichern, dann beenden.</translation>
    </message>
    <message>
        <source>Seconds to wait before the screenshots. Default: 5.</source>
        <translation>Sekunden bis zu den Bildschirmfotos. Vorgabe: 5.</translation>
    </message>
    <message>
        <source>Print when the window was first painted.</source>
        <translation>Ausgeben, wann das Fenster zum ersten Mal gezeichnet wurde.</translation>
    </message>
    <message>
        <source>Open the window attached to the AgentServer at URL (another agentdesk, or the original) instead of running an organism here.</source>
        <translation>Das Fenster mit dem AgentServer unter URL verbunden öffnen (ein anderes agentdesk oder das Original), statt hier einen Organismus zu starten.</translation>
    </message>
    <message>
        <source>With --connect: the environment variable that holds the server&apos;s API key.</source>
        <translation>Mit --connect: die Umgebungsvariable, die den API-Schlüssel des Servers enthält.</translation>
    </message>
    <message>
        <source>Check the configuration: print every error and warning (file:line: key: message), start nothing; exit 0 when it can run, 2 when not.</source>
        <translation>Die Konfiguration prüfen: jeden Fehler und jede Warnung ausgeben (Datei:Zeile: Schlüssel: Meldung), nichts starten; Rückgabewert 0, wenn sie laufen kann, sonst 2.</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to an AgentServer</source>
        <translation>Mit einem AgentServer verbinden</translation>
    </message>
    <message>
        <source>Watch and steer an organism served by another agentdesk or by the original AgentServer.</source>
        <translation>Einen Organismus beobachten und steuern, den ein anderes agentdesk oder der ursprüngliche AgentServer bereitstellt.</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Saved:</source>
        <translation>&amp;Gespeichert:</translation>
    </message>
    <message>
        <source>Sa&amp;ve…</source>
        <translation>Spei&amp;chern…</translation>
    </message>
    <message>
        <source>Keep this server under a name (the key is never stored, only the environment variable that holds it)</source>
        <translation>Diesen Server unter einem Namen merken (der Schlüssel wird nie gespeichert, nur die Umgebungsvariable, die ihn enthält)</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Vergessen</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>a&amp;gentdesk (port 8765)</source>
        <translation>a&amp;gentdesk (Port 8765)</translation>
    </message>
    <message>
        <source>the &amp;original AgentServer (port 8080)</source>
        <translation>der &amp;ursprüngliche AgentServer (Port 8080)</translation>
    </message>
    <message>
        <source>only if the server asks for one; used for this connection only</source>
        <translation>nur wenn der Server einen verlangt; gilt nur für diese Verbindung</translation>
    </message>
    <message>
        <source>Key from &amp;environment:</source>
        <translation>Schlüssel aus &amp;Umgebung:</translation>
    </message>
    <message>
        <source>name of a variable that holds the key, e.g. AGENTSERVER_API_KEY</source>
        <translation>Name einer Variable mit dem Schlüssel, z. B. AGENTSERVER_API_KEY</translation>
    </message>
</context>
<context>
    <name>InjectDialog</name>
    <message>
        <source>Inject a message</source>
        <translation>Nachricht einspeisen</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>The listener that receives the message</source>
        <translation>Der Listener, der die Nachricht erhält</translation>
    </message>
    <message>
        <source>T&amp;hread:</source>
        <translation>T&amp;hread:</translation>
    </message>
    <message>
        <source>empty: start a new thread</source>
        <translation>leer: einen neuen Thread beginnen</translation>
    </message>
    <message>
        <source>&amp;Form</source>
        <translation>&amp;Formular</translation>
    </message>
    <message>
        <source>&amp;Raw XML</source>
        <translation>&amp;Rohes XML</translation>
    </message>
    <message>
        <source>Use the &amp;example</source>
        <translation>&amp;Beispiel verwenden</translation>
    </message>
    <message>
        <source>Replace the text with the target&apos;s example payload</source>
        <translation>Den Text durch die Beispiel-Payload des Ziels ersetzen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>agentdesk</source>
        <translation>agentdesk</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Organism</source>
        <translation>&amp;Organismus</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Commands</source>
        <translation>Befehle</translation>
    </message>
    <message>
        <source>&amp;Connect to AgentServer…</source>
        <translation>Mit AgentServer &amp;verbinden…</translation>
    </message>
    <message>
        <source>Watch an organism served by another agentdesk or AgentServer</source>
        <translation>Einen Organismus beobachten, den ein anderes agentdesk oder ein AgentServer bereitstellt</translation>
    </message>
    <message>
        <source>Back to the &amp;local organism</source>
        <translation>Zurück zum &amp;lokalen Organismus</translation>
    </message>
    <message>
        <source>Show the organism this agentdesk runs</source>
        <translation>Den Organismus zeigen, den dieses agentdesk betreibt</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Stop the organism (draining what is in flight) and quit</source>
        <translation>Den Organismus stoppen (laufende Arbeit abschließen lassen) und beenden</translation>
    </message>
    <message>
        <source>&amp;Inject message…</source>
        <translation>Nachricht &amp;einspeisen…</translation>
    </message>
    <message>
        <source>Send a message to a listener</source>
        <translation>Einem Listener eine Nachricht senden</translation>
    </message>
    <message>
        <source>&amp;Reload configuration</source>
        <translation>Konfiguration &amp;neu laden</translation>
    </message>
    <message>
        <source>Re-read organism.yaml and apply the differences without a restart</source>
        <translation>organism.yaml neu lesen und die Änderungen ohne Neustart übernehmen</translation>
    </message>
    <message>
        <source>Stop taking work, let in-flight work finish (bounded), then stop</source>
        <translation>Keine Arbeit mehr annehmen, laufende Arbeit (begrenzt) abschließen lassen, dann stoppen</translation>
    </message>
    <message>
        <source>St&amp;art organism</source>
        <translation>Organismus st&amp;arten</translation>
    </message>
    <message>
        <source>Start the stopped organism again</source>
        <translation>Den gestoppten Organismus wieder starten</translation>
    </message>
    <message>
        <source>&amp;Pause agent</source>
        <translation>Agenten &amp;anhalten</translation>
    </message>
    <message>
        <source>Hold the selected agent&apos;s queue</source>
        <translation>Die Warteschlange des gewählten Agenten anhalten</translation>
    </message>
    <message>
        <source>Res&amp;ume agent</source>
        <translation>Agenten &amp;fortsetzen</translation>
    </message>
    <message>
        <source>Let the selected agent take messages again</source>
        <translation>Den gewählten Agenten wieder Nachrichten annehmen lassen</translation>
    </message>
    <message>
        <source>Cancel the selected thread&apos;s work</source>
        <translation>Die Arbeit des gewählten Threads beenden</translation>
    </message>
    <message>
        <source>Raise thread &amp;budget…</source>
        <translation>Thread-&amp;Budget erhöhen…</translation>
    </message>
    <message>
        <source>Give the selected thread more tokens</source>
        <translation>Dem gewählten Thread mehr Tokens geben</translation>
    </message>
    <message>
        <source>Zero the usage counters; the history keeps every call</source>
        <translation>Die Verbrauchszähler auf null setzen; der Verlauf behält jeden Aufruf</translation>
    </message>
    <message>
        <source>&amp;Agents</source>
        <translation>A&amp;genten</translation>
    </message>
    <message>
        <source>&amp;Threads</source>
        <translation>&amp;Threads</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Nachrichten</translation>
    </message>
    <message>
        <source>&amp;Usage</source>
        <translation>&amp;Verbrauch</translation>
    </message>
    <message>
        <source>&amp;Capabilities</source>
        <translation>&amp;Fähigkeiten</translation>
    </message>
    <message>
        <source>&amp;Follow new messages</source>
        <translation>Neuen Nachrichten &amp;folgen</translation>
    </message>
    <message>
        <source>Follow the live edge of the message log, or hold it still</source>
        <translation>Dem Nachrichtenprotokoll live folgen oder es anhalten</translation>
    </message>
    <message>
        <source>&amp;Search messages</source>
        <translation>Nachrichten &amp;durchsuchen</translation>
    </message>
    <message>
        <source>Search the message payloads</source>
        <translation>Die Payloads der Nachrichten durchsuchen</translation>
    </message>
    <message>
        <source>&amp;About agentdesk</source>
        <translation>&amp;Über agentdesk</translation>
    </message>
    <message>
        <source>S&amp;top organism…</source>
        <translation>Organismus s&amp;toppen…</translation>
    </message>
    <message>
        <source>&amp;Kill thread…</source>
        <translation>Thread &amp;terminieren…</translation>
    </message>
    <message>
        <source>Reset &amp;usage counters…</source>
        <translation>&amp;Verbrauchszähler zurücksetzen…</translation>
    </message>
    <message>
        <source>&amp;Next page</source>
        <translation>Nä&amp;chste Seite</translation>
    </message>
    <message>
        <source>P&amp;revious page</source>
        <translation>Vor&amp;ige Seite</translation>
    </message>
    <message>
        <source>R&amp;etry thread</source>
        <translation>Thread e&amp;rneut ausführen</translation>
    </message>
    <message>
        <source>Run the selected thread in error again from its failed delivery</source>
        <translation>Den ausgewählten fehlgeschlagenen Thread ab der fehlgeschlagenen Zustellung erneut ausführen</translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation>A&amp;uslastung</translation>
    </message>
</context>
<context>
    <name>MessagesPage</name>
    <message>
        <source>Only messages from or to this agent</source>
        <translation>Nur Nachrichten von oder an diesen Agenten</translation>
    </message>
    <message>
        <source>thread id</source>
        <translation>Thread-ID</translation>
    </message>
    <message>
        <source>Only messages of this thread</source>
        <translation>Nur Nachrichten dieses Threads</translation>
    </message>
    <message>
        <source>Only messages of this payload type</source>
        <translation>Nur Nachrichten dieses Payload-Typs</translation>
    </message>
    <message>
        <source>search the payloads (Ctrl+F)</source>
        <translation>Payloads durchsuchen (Strg+F)</translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Folgen</translation>
    </message>
    <message>
        <source>Follow new messages as they arrive, or hold the list still to read it (Ctrl+Space)</source>
        <translation>Neuen Nachrichten folgen, sobald sie eintreffen, oder die Liste zum Lesen anhalten (Strg+Leertaste)</translation>
    </message>
    <message>
        <source>XML</source>
        <translation>XML</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Felder</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
</context>
<context>
    <name>StatusHeader</name>
    <message>
        <source>Uptime:</source>
        <translation>Laufzeit:</translation>
    </message>
    <message>
        <source>API:</source>
        <translation>API:</translation>
    </message>
    <message>
        <source>Messages/s:</source>
        <translation>Nachrichten/s:</translation>
    </message>
    <message>
        <source>Tokens:</source>
        <translation>Tokens:</translation>
    </message>
    <message>
        <source>Cost:</source>
        <translation>Kosten:</translation>
    </message>
</context>
<context>
    <name>ThreadsPage</name>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>A&amp;gent:</source>
        <translation>A&amp;gent:</translation>
    </message>
    <message>
        <source>&amp;Kill</source>
        <translation>&amp;Terminieren</translation>
    </message>
    <message>
        <source>&amp;Raise budget…</source>
        <translation>Budget &amp;erhöhen…</translation>
    </message>
    <message>
        <source>Give the thread more tokens; a held thread goes on (Ctrl+B)</source>
        <translation>Dem Thread mehr Tokens geben; ein angehaltener Thread läuft weiter (Strg+B)</translation>
    </message>
    <message>
        <source>&amp;Copy id</source>
        <translation>ID &amp;kopieren</translation>
    </message>
    <message>
        <source>Cancel the thread&apos;s queued and in-flight work (Ctrl+K)</source>
        <translation>Die wartende und laufende Arbeit des Threads beenden (Strg+K)</translation>
    </message>
    <message>
        <source>&amp;Following</source>
        <translation>&amp;Folgt</translation>
    </message>
    <message>
        <source>Show new threads at the top as they start, or hold the list still (it also holds while the pointer is on it)</source>
        <translation>Neue Threads oben zeigen, sobald sie beginnen, oder die Liste anhalten (sie hält auch still, solange der Mauszeiger auf ihr ist)</translation>
    </message>
    <message>
        <source>Co&amp;nversation</source>
        <translation>&amp;Unterhaltung</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>&amp;Zeitleiste</translation>
    </message>
</context>
<context>
    <name>UsagePage</name>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Average latency</source>
        <translation>Mittlere Latenz</translation>
    </message>
    <message>
        <source>&amp;Reset usage</source>
        <translation>Verbrauch &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Zero the counters; the history keeps every call</source>
        <translation>Die Zähler auf null setzen; der Verlauf behält jeden Aufruf</translation>
    </message>
    <message>
        <source>&amp;Export CSV</source>
        <translation>CSV &amp;exportieren</translation>
    </message>
    <message>
        <source>Save chart as &amp;PNG…</source>
        <translation>Diagramm als &amp;PNG speichern…</translation>
    </message>
    <message>
        <source>By &amp;model</source>
        <translation>Nach &amp;Modell</translation>
    </message>
    <message>
        <source>By &amp;agent</source>
        <translation>Nach &amp;Agent</translation>
    </message>
    <message>
        <source>Thread &amp;budgets</source>
        <translation>Thread-&amp;Budgets</translation>
    </message>
    <message>
        <source>R&amp;ange:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>From (local time)</source>
        <translation>Von (Ortszeit)</translation>
    </message>
    <message>
        <source>To (local time)</source>
        <translation>Bis (Ortszeit)</translation>
    </message>
</context>
<context>
    <name>agentdesk</name>
    <message>
        <source>Connection refused by %1 (is the server running?)</source>
        <translation>Verbindung von %1 abgelehnt (läuft der Server?)</translation>
    </message>
    <message>
        <source>Host not found: %1</source>
        <translation>Host nicht gefunden: %1</translation>
    </message>
    <message>
        <source>%1 closed the connection before answering</source>
        <translation>%1 hat die Verbindung vor der Antwort geschlossen</translation>
    </message>
    <message>
        <source>%1 did not answer in time</source>
        <translation>%1 hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>agentdesk::AgentModel</name>
    <message numerus="yes">
        <source>%n call(s) without a known price: the cost is a lower bound</source>
        <translation>
            <numerusform>%n Aufruf ohne bekannten Preis: die Kosten sind eine Untergrenze</numerusform>
            <numerusform>%n Aufrufe ohne bekannten Preis: die Kosten sind eine Untergrenze</numerusform>
        </translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Current thread</source>
        <translation>Aktueller Thread</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Letzte Aktivität</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Its LLM calls wait at %1</source>
        <translation>Seine LLM-Aufrufe warten bei %1</translation>
    </message>
</context>
<context>
    <name>agentdesk::AgentsPage</name>
    <message numerus="yes">
        <source>%n listener(s)</source>
        <translation>
            <numerusform>%n Listener</numerusform>
            <numerusform>%n Listener</numerusform>
        </translation>
    </message>
    <message>
        <source>No agent selected</source>
        <translation>Kein Agent gewählt</translation>
    </message>
    <message>
        <source>LLM agent (%1)</source>
        <translation>LLM-Agent (%1)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Paused %1</source>
        <translation>%1 angehalten</translation>
    </message>
    <message>
        <source>Resumed %1</source>
        <translation>%1 fortgesetzt</translation>
    </message>
    <message>
        <source>Pause %1</source>
        <translation>%1 anhalten</translation>
    </message>
    <message>
        <source>Resume %1</source>
        <translation>%1 fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Inject to %1…</source>
        <translation>An %1 &amp;senden…</translation>
    </message>
    <message>
        <source>LLM agent</source>
        <translation>LLM-Agent</translation>
    </message>
    <message>
        <source>not reported by this server</source>
        <translation>von diesem Server nicht angegeben</translation>
    </message>
    <message>
        <source>Routing key: %1</source>
        <translation>Routing-Schlüssel: %1</translation>
    </message>
    <message>
        <source>This server&apos;s pause only changes the agent&apos;s state: it goes on taking and handling messages</source>
        <translation>Das Anhalten dieses Servers ändert nur den Zustand des Agenten: Er nimmt weiter Nachrichten an und bearbeitet sie</translation>
    </message>
    <message>
        <source>Hold the agent&apos;s queue: messages for it wait until it is resumed</source>
        <translation>Die Warteschlange des Agenten anhalten: Nachrichten an ihn warten, bis er fortgesetzt wird</translation>
    </message>
    <message>
        <source>%1 marked paused — this server goes on sending it messages</source>
        <translation>%1 als angehalten markiert – dieser Server schickt ihm weiter Nachrichten</translation>
    </message>
</context>
<context>
    <name>agentdesk::AlertCenter</name>
    <message>
        <source>%1 of %2 tokens used</source>
        <translation>%1 von %2 Tokens verbraucht</translation>
    </message>
    <message>
        <source>Thread %1 passed 90 % of its budget</source>
        <translation>Thread %1 hat 90 % seines Budgets überschritten</translation>
    </message>
    <message>
        <source>Thread %1 passed 95 % of its budget</source>
        <translation>Thread %1 hat 95 % seines Budgets überschritten</translation>
    </message>
    <message>
        <source>Thread %1 is held: budget exhausted</source>
        <translation>Thread %1 wird angehalten: Budget erschöpft</translation>
    </message>
    <message>
        <source>%1. Raise its budget or kill it.</source>
        <translation>%1. Erhöhen Sie sein Budget oder terminieren Sie ihn.</translation>
    </message>
    <message>
        <source>Agent %1 failed</source>
        <translation>Agent %1 ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>It is in the error state.</source>
        <translation>Er ist im Fehlerzustand.</translation>
    </message>
    <message>
        <source>The organism&apos;s budget</source>
        <translation>Das Budget des Organismus</translation>
    </message>
    <message>
        <source>Agent %1&apos;s budget</source>
        <translation>Das Budget von Agent %1</translation>
    </message>
    <message>
        <source>%1 of %2 used, counted per %3</source>
        <translation>%1 von %2 verbraucht, gezählt pro %3</translation>
    </message>
    <message>
        <source>%1 passed 90 %</source>
        <translation>%1 hat 90 % überschritten</translation>
    </message>
    <message>
        <source>%1 passed 95 %</source>
        <translation>%1 hat 95 % überschritten</translation>
    </message>
    <message>
        <source>The organism&apos;s budget is used up: its calls are held</source>
        <translation>Das Budget des Organismus ist aufgebraucht: seine Aufrufe werden angehalten</translation>
    </message>
    <message>
        <source>Agent %1&apos;s budget is used up: its calls are held</source>
        <translation>Das Budget von Agent %1 ist aufgebraucht: seine Aufrufe werden angehalten</translation>
    </message>
    <message>
        <source>%1. Raise or reset it on the Usage page.</source>
        <translation>%1. Auf der Seite Verbrauch erhöhen oder zurücksetzen.</translation>
    </message>
</context>
<context>
    <name>agentdesk::Application</name>
    <message>
        <source>the configuration has errors (see the terminal)</source>
        <translation>die Konfiguration enthält Fehler (siehe Terminal)</translation>
    </message>
</context>
<context>
    <name>agentdesk::BacklogModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Listener</source>
        <translation>Listener</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Waiting for a rate limit</source>
        <translation>Wartet auf ein Ratenlimit</translation>
    </message>
</context>
<context>
    <name>agentdesk::BudgetBar</name>
    <message>
        <source>Marks at 75 %, 90 % and 95 %; at 100 % the thread is held until its budget is raised</source>
        <translation>Markierungen bei 75 %, 90 % und 95 %; bei 100 % wird der Thread angehalten, bis sein Budget erhöht wird</translation>
    </message>
    <message>
        <source>no budget (the thread is not metered or has ended)</source>
        <translation>kein Budget (der Thread wird nicht gemessen oder ist beendet)</translation>
    </message>
    <message>
        <source>%1 / %2 tokens (%3)</source>
        <translation>%1 / %2 Tokens (%3)</translation>
    </message>
    <message>
        <source>%1 — exhausted, thread held</source>
        <translation>%1 — erschöpft, Thread angehalten</translation>
    </message>
</context>
<context>
    <name>agentdesk::BudgetDialog</name>
    <message>
        <source>&amp;Raise</source>
        <translation>&amp;Erhöhen</translation>
    </message>
    <message>
        <source>Thread %1 has used %2 of %3 tokens (%4).</source>
        <translation>Thread %1 hat %2 von %3 Tokens verbraucht (%4).</translation>
    </message>
    <message>
        <source>Enter a whole number of tokens, at least 1.</source>
        <translation>Geben Sie eine ganze Zahl von Tokens ein, mindestens 1.</translation>
    </message>
    <message>
        <source>At or below what the thread has used: it would stay held.</source>
        <translation>Nicht mehr, als der Thread schon verbraucht hat: er bliebe angehalten.</translation>
    </message>
</context>
<context>
    <name>agentdesk::BudgetModel</name>
    <message>
        <source>exhausted</source>
        <translation>erschöpft</translation>
    </message>
    <message>
        <source>Thread</source>
        <translation>Thread</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Verbraucht</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Used %</source>
        <translation>Verbraucht %</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>Angehalten</translation>
    </message>
</context>
<context>
    <name>agentdesk::CapabilitiesPage</name>
    <message>
        <source>No listener selected</source>
        <translation>Kein Listener gewählt</translation>
    </message>
    <message>
        <source>LLM agent</source>
        <translation>LLM-Agent</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>Handler</translation>
    </message>
    <message>
        <source>payload type %1</source>
        <translation>Payload-Typ %1</translation>
    </message>
    <message>
        <source>declared as %1</source>
        <translation>deklariert als %1</translation>
    </message>
    <message>
        <source>no peers</source>
        <translation>keine Peers</translation>
    </message>
    <message>
        <source>peers: %1</source>
        <translation>Peers: %1</translation>
    </message>
    <message>
        <source>Routing key: %1</source>
        <translation>Routing-Schlüssel: %1</translation>
    </message>
</context>
<context>
    <name>agentdesk::CapabilityModel</name>
    <message>
        <source>agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>handler</source>
        <translation>Handler</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Payload type</source>
        <translation>Payload-Typ</translation>
    </message>
    <message>
        <source>Root element</source>
        <translation>Wurzelelement</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Peers</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Routing key: %1</source>
        <translation>Routing-Schlüssel: %1</translation>
    </message>
</context>
<context>
    <name>agentdesk::CombinedUsageModel</name>
    <message>
        <source>sum of the rows above</source>
        <translation>Summe der Zeilen darüber</translation>
    </message>
    <message>
        <source>live, since its last reset</source>
        <translation>live, seit dem letzten Zurücksetzen</translation>
    </message>
    <message>
        <source>history, read at %1</source>
        <translation>Verlauf, gelesen um %1</translation>
    </message>
    <message>
        <source>history not read yet</source>
        <translation>Verlauf noch nicht gelesen</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>All organisms</source>
        <translation>Alle Organismen</translation>
    </message>
    <message>
        <source>The history&apos;s billing sums have no cache or reasoning split</source>
        <translation>Die Abrechnungssummen des Verlaufs trennen Cache und Reasoning nicht</translation>
    </message>
    <message>
        <source>Organism</source>
        <translation>Organismus</translation>
    </message>
    <message>
        <source>Figures from</source>
        <translation>Zahlen aus</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>Zwischengespeichert</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>Cache-Schreiben</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Reasoning</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Unpriced calls</source>
        <translation>Aufrufe ohne Preis</translation>
    </message>
</context>
<context>
    <name>agentdesk::CombinedUsagePage</name>
    <message>
        <source>Organisms this window is connected to show their live counters (since their last reset). Organisms found only in a shared history show what the history holds (everything they recorded, read every 10 s through the session that shares it); the history&apos;s sums have no cache or reasoning split.</source>
        <translation>Organismen, mit denen dieses Fenster verbunden ist, zeigen ihre Live-Zähler (seit dem letzten Zurücksetzen). Organismen, die nur in einem gemeinsamen Verlauf stehen, zeigen, was der Verlauf enthält (alles, was sie aufgezeichnet haben, alle 10 s über die Verbindung gelesen, die ihn teilt); die Summen des Verlaufs trennen Cache und Reasoning nicht.</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
</context>
<context>
    <name>agentdesk::ConnectDialog</name>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(noch keine)</translation>
    </message>
    <message>
        <source>(choose one)</source>
        <translation>(eine wählen)</translation>
    </message>
    <message>
        <source>Save the connection</source>
        <translation>Verbindung speichern</translation>
    </message>
    <message>
        <source>Name for %1 (the key itself is not saved):</source>
        <translation>Name für %1 (der Schlüssel selbst wird nicht gespeichert):</translation>
    </message>
    <message>
        <source>Enter an http:// or https:// address with a host, e.g. %1</source>
        <translation>Geben Sie eine http://- oder https://-Adresse mit Host ein, z. B. %1</translation>
    </message>
    <message>
        <source>%1 is not the name of an environment variable</source>
        <translation>%1 ist kein Name einer Umgebungsvariable</translation>
    </message>
    <message>
        <source>The environment variable %1 is not set (or empty) for agentdesk</source>
        <translation>Die Umgebungsvariable %1 ist für agentdesk nicht gesetzt (oder leer)</translation>
    </message>
</context>
<context>
    <name>agentdesk::ConversationDelegate</name>
    <message numerus="yes">
        <source>… %n more line(s)</source>
        <translation>
            <numerusform>… %n weitere Zeile</numerusform>
            <numerusform>… %n weitere Zeilen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>agentdesk::ConversationModel</name>
    <message>
        <source>replying…</source>
        <translation>antwortet …</translation>
    </message>
</context>
<context>
    <name>agentdesk::CostByAgentChart</name>
    <message>
        <source>Cost by agent (USD)</source>
        <translation>Kosten nach Agent (USD)</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Cost by agent (USD) — no LLM calls yet</source>
        <translation>Kosten nach Agent (USD) — noch keine LLM-Aufrufe</translation>
    </message>
    <message>
        <source>Cost by agent (USD) — no call has a known price</source>
        <translation>Kosten nach Agent (USD) — kein Aufruf hat einen bekannten Preis</translation>
    </message>
</context>
<context>
    <name>agentdesk::CostDisplayProxy</name>
    <message>
        <source>unpriced</source>
        <translation>ohne Preis</translation>
    </message>
    <message>
        <source>No LLM calls</source>
        <translation>Keine LLM-Aufrufe</translation>
    </message>
    <message>
        <source>Served by the offline demo provider: it costs nothing and has no price</source>
        <translation>Vom Offline-Demo-Anbieter bedient: kostet nichts und hat keinen Preis</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) without a known price: the cost is a lower bound</source>
        <translation>
            <numerusform>%n Aufruf ohne bekannten Preis: die Kosten sind eine Untergrenze</numerusform>
            <numerusform>%n Aufrufe ohne bekannten Preis: die Kosten sind eine Untergrenze</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (demo)</source>
        <translation>%1 (Demo)</translation>
    </message>
</context>
<context>
    <name>agentdesk::InjectDialog</name>
    <message>
        <source>Unknown target</source>
        <translation>Unbekanntes Ziel</translation>
    </message>
    <message>
        <source>Invalid payload</source>
        <translation>Ungültige Payload</translation>
    </message>
    <message>
        <source>The queue is full</source>
        <translation>Die Warteschlange ist voll</translation>
    </message>
    <message>
        <source>The organism is not running</source>
        <translation>Der Organismus läuft nicht</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>Takes %1. %2</source>
        <translation>Nimmt %1 an. %2</translation>
    </message>
    <message>
        <source>Fields of %1:</source>
        <translation>Felder von %1:</translation>
    </message>
    <message>
        <source>No form for this target (%1): write the payload as XML.</source>
        <translation>Kein Formular für dieses Ziel (%1): schreiben Sie die Payload als XML.</translation>
    </message>
    <message>
        <source>No listener to send to.</source>
        <translation>Kein Listener, an den gesendet werden kann.</translation>
    </message>
    <message>
        <source>Write the payload XML.</source>
        <translation>Schreiben Sie das XML der Payload.</translation>
    </message>
    <message>
        <source>The history cannot store it</source>
        <translation>Der Verlauf kann sie nicht speichern</translation>
    </message>
    <message>
        <source>Unknown message</source>
        <translation>Unbekannte Nachricht</translation>
    </message>
    <message>
        <source>new: the history up to this message, then this message from %1</source>
        <translation>neu: der Verlauf bis zu dieser Nachricht, dann diese Nachricht von %1</translation>
    </message>
    <message>
        <source>new: this payload alone, from you</source>
        <translation>neu: nur diese Payload, von Ihnen</translation>
    </message>
    <message>
        <source>Fork at this message</source>
        <translation>An dieser Nachricht abzweigen</translation>
    </message>
    <message>
        <source>Replay this message</source>
        <translation>Diese Nachricht erneut senden</translation>
    </message>
    <message>
        <source>&amp;Fork</source>
        <translation>&amp;Abzweigen</translation>
    </message>
    <message>
        <source>&amp;Replay</source>
        <translation>&amp;Erneut senden</translation>
    </message>
</context>
<context>
    <name>agentdesk::LlmBackendModel</name>
    <message numerus="yes">
        <source>rate-limited for %n s</source>
        <translation>
            <numerusform>gedrosselt für %n s</numerusform>
            <numerusform>gedrosselt für %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>failing since %1</source>
        <translation>fehlerhaft seit %1</translation>
    </message>
    <message>
        <source>waiting for its token bucket: %1 of %2 tokens a minute left</source>
        <translation>wartet auf sein Token-Kontingent: %1 von %2 Tokens pro Minute übrig</translation>
    </message>
    <message>
        <source>by name</source>
        <translation>nach Name</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>not streamed</source>
        <translation>nicht gestreamt</translation>
    </message>
    <message>
        <source>Agents: %1</source>
        <translation>Agenten: %1</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Tokens left</source>
        <translation>Tokens übrig</translation>
    </message>
    <message>
        <source>Latency p50 / p95</source>
        <translation>Latenz p50 / p95</translation>
    </message>
    <message>
        <source>First token p50 / p95</source>
        <translation>Erstes Token p50 / p95</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Aufrufe</translation>
    </message>
    <message>
        <source>waiting for its token bucket</source>
        <translation>wartet auf sein Token-Kontingent</translation>
    </message>
    <message>
        <source>all slots busy</source>
        <translation>alle Plätze belegt</translation>
    </message>
    <message>
        <source>all slots busy (%1), %2 queued</source>
        <translation>alle Plätze belegt (%1), %2 in der Warteschlange</translation>
    </message>
</context>
<context>
    <name>agentdesk::LlmBackendsView</name>
    <message numerus="yes">
        <source>LLM backends — %n holding calls up</source>
        <translation>
            <numerusform>LLM-Backends — %n hält Aufrufe an</numerusform>
            <numerusform>LLM-Backends — %n halten Aufrufe an</numerusform>
        </translation>
    </message>
    <message>
        <source>LLM backends</source>
        <translation>LLM-Backends</translation>
    </message>
    <message>
        <source>LLM backends: this server does not report them (GET /llm/backends is an agentdesk extension)</source>
        <translation>LLM-Backends: dieser Server meldet sie nicht (GET /llm/backends ist eine agentdesk-Erweiterung)</translation>
    </message>
    <message>
        <source>LLM backends: none configured in this organism</source>
        <translation>LLM-Backends: in diesem Organismus keine konfiguriert</translation>
    </message>
</context>
<context>
    <name>agentdesk::LoadChart</name>
    <message>
        <source>Queue and throughput</source>
        <translation>Warteschlange und Durchsatz</translation>
    </message>
    <message>
        <source>messages queued</source>
        <translation>wartende Nachrichten</translation>
    </message>
    <message>
        <source>messages/s</source>
        <translation>Nachrichten/s</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Queue limit</source>
        <translation>Grenze der Warteschlange</translation>
    </message>
    <message>
        <source>Messages/s</source>
        <translation>Nachrichten/s</translation>
    </message>
</context>
<context>
    <name>agentdesk::LoadPage</name>
    <message>
        <source>Messages/s</source>
        <translation>Nachrichten/s</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Injects refused</source>
        <translation>Abgewiesene Einspeisungen</translation>
    </message>
    <message>
        <source>Thread errors</source>
        <translation>Thread-Fehler</translation>
    </message>
    <message>
        <source>Handler time</source>
        <translation>Handler-Zeit</translation>
    </message>
    <message>
        <source>Where the work waits</source>
        <translation>Wo die Arbeit wartet</translation>
    </message>
    <message>
        <source>%1 handler calls ended in the last minute</source>
        <translation>%1 Handler-Aufrufe in der letzten Minute beendet</translation>
    </message>
    <message>
        <source>counted here from the server&apos;s totals</source>
        <translation>hier aus den Summen des Servers gezählt</translation>
    </message>
    <message>
        <source>this server does not report it</source>
        <translation>dieser Server meldet es nicht</translation>
    </message>
    <message>
        <source>This server reports no queue, refusals or handler times (they are agentdesk extensions): only messages per second are shown.</source>
        <translation>Dieser Server meldet weder Warteschlange noch Abweisungen oder Handler-Zeiten (das sind agentdesk-Erweiterungen): nur Nachrichten pro Sekunde werden gezeigt.</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>new injects are admitted below %1</source>
        <translation>neue Einspeisungen werden unter %1 angenommen</translation>
    </message>
    <message>
        <source>since start-up</source>
        <translation>seit dem Start</translation>
    </message>
    <message>
        <source>%1 / min</source>
        <translation>%1 / min</translation>
    </message>
    <message>
        <source>threads that ended in error in the last minute</source>
        <translation>Threads, die in der letzten Minute mit Fehler endeten</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>median · 95th percentile, last minute</source>
        <translation>Median · 95. Perzentil, letzte Minute</translation>
    </message>
    <message>
        <source>Saturated: %1</source>
        <translation>Ausgelastet: %1</translation>
    </message>
    <message>
        <source>Bottleneck: %1 waits %2 s for an LLM backend&apos;s rate limit (%3 queued)</source>
        <translation>Engpass: %1 wartet %2 s auf das Ratenlimit eines LLM-Backends (%3 wartend)</translation>
    </message>
    <message>
        <source>Longest queue: %1 is paused with %2 waiting</source>
        <translation>Längste Warteschlange: %1 ist angehalten, wartend: %2</translation>
    </message>
    <message>
        <source>Longest queue: %1 (%2 waiting, %3 running)</source>
        <translation>Längste Warteschlange: %1 (%2 wartend, %3 laufend)</translation>
    </message>
    <message>
        <source>Keeping up: nothing waits</source>
        <translation>Kommt hinterher: nichts wartet</translation>
    </message>
    <message>
        <source>Saturated: %1 — held up by LLM backend %2: %3</source>
        <translation>Ausgelastet: %1 — aufgehalten von LLM-Backend %2: %3</translation>
    </message>
    <message>
        <source>Bottleneck: LLM backend %1 — %2 (%3 has %4 queued)</source>
        <translation>Engpass: LLM-Backend %1 — %2 (bei %3 warten %4)</translation>
    </message>
    <message>
        <source>LLM backend %1: %2</source>
        <translation>LLM-Backend %1: %2</translation>
    </message>
</context>
<context>
    <name>agentdesk::LocalSession</name>
    <message>
        <source>not connected to the organism</source>
        <translation>nicht mit dem Organismus verbunden</translation>
    </message>
</context>
<context>
    <name>agentdesk::MainWindow</name>
    <message>
        <source>added %1</source>
        <translation>%1 hinzugefügt</translation>
    </message>
    <message>
        <source>removed %1</source>
        <translation>%1 entfernt</translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation>%1 aktualisiert</translation>
    </message>
    <message>
        <source>Configuration reloaded: nothing changed</source>
        <translation>Konfiguration neu geladen: nichts geändert</translation>
    </message>
    <message>
        <source>Configuration reloaded: %1</source>
        <translation>Konfiguration neu geladen: %1</translation>
    </message>
    <message>
        <source>&amp;Agents</source>
        <translation>A&amp;genten</translation>
    </message>
    <message>
        <source>&amp;Threads</source>
        <translation>&amp;Threads</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Nachrichten</translation>
    </message>
    <message>
        <source>&amp;Usage</source>
        <translation>&amp;Verbrauch</translation>
    </message>
    <message>
        <source>&amp;Capabilities</source>
        <translation>&amp;Fähigkeiten</translation>
    </message>
    <message>
        <source>Connect to %1</source>
        <translation>Verbinden mit %1</translation>
    </message>
    <message>
        <source>this kind of server is not supported</source>
        <translation>diese Art von Server wird nicht unterstützt</translation>
    </message>
    <message>
        <source>Error in %1: %2</source>
        <translation>Fehler in %1: %2</translation>
    </message>
    <message>
        <source>Not available in this build</source>
        <translation>In diesem Build nicht verfügbar</translation>
    </message>
    <message>
        <source>agentdesk</source>
        <translation>agentdesk</translation>
    </message>
    <message>
        <source>%1 — agentdesk</source>
        <translation>%1 — agentdesk</translation>
    </message>
    <message>
        <source>Reload the configuration</source>
        <translation>Konfiguration neu laden</translation>
    </message>
    <message>
        <source>Stopping the organism…</source>
        <translation>Organismus wird gestoppt…</translation>
    </message>
    <message>
        <source>Stop the organism</source>
        <translation>Organismus stoppen</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>About agentdesk</source>
        <translation>Über agentdesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;agentdesk %1&lt;/b&gt;&lt;p&gt;Hosts a multi-agent organism, serves the AgentServer API and shows it live.&lt;/p&gt;</source>
        <translation>&lt;b&gt;agentdesk %1&lt;/b&gt;&lt;p&gt;Betreibt einen Multi-Agenten-Organismus, stellt die AgentServer-API bereit und zeigt ihn live.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The server now says “stopping”, but its stop changes only that word: the organism goes on, and so do the commands.</source>
        <translation>Der Server meldet jetzt „stopping“, aber sein Stopp ändert nur dieses Wort: Der Organismus läuft weiter, die Befehle auch.</translation>
    </message>
    <message>
        <source>The organism at %1 has stopped.</source>
        <translation>Der Organismus unter %1 ist gestoppt.</translation>
    </message>
    <message>
        <source>The organism has stopped; Start runs it again.</source>
        <translation>Der Organismus ist gestoppt; Starten lässt ihn wieder laufen.</translation>
    </message>
    <message>
        <source>Hold the selected agent&apos;s queue</source>
        <translation>Die Warteschlange des gewählten Agenten anhalten</translation>
    </message>
    <message>
        <source>This server&apos;s pause only changes the agent&apos;s state: it goes on working</source>
        <translation>Das Anhalten dieses Servers ändert nur den Zustand des Agenten: Er arbeitet weiter</translation>
    </message>
    <message>
        <source>Cancel the selected thread&apos;s work</source>
        <translation>Die Arbeit des gewählten Threads beenden</translation>
    </message>
    <message>
        <source>This server&apos;s kill only marks the thread killed: its work goes on</source>
        <translation>Dieser Server markiert den Thread nur als terminiert: Seine Arbeit geht weiter</translation>
    </message>
    <message>
        <source>Stop taking work, let in-flight work finish (bounded), then stop</source>
        <translation>Keine Arbeit mehr annehmen, laufende Arbeit (begrenzt) abschließen lassen, dann stoppen</translation>
    </message>
    <message>
        <source>This server&apos;s stop only changes its status to “stopping”: nothing stops</source>
        <translation>Der Stopp dieses Servers ändert nur seinen Status in „stopping“: Nichts hält an</translation>
    </message>
    <message>
        <source>%1 at %2 (remote) — agentdesk</source>
        <translation>%1 unter %2 (entfernt) – agentdesk</translation>
    </message>
    <message>
        <source>Injected into thread %1</source>
        <translation>In Thread %1 eingespeist</translation>
    </message>
    <message>
        <source>This server (the original AgentServer) only changes its status to “stopping”: nothing stops, and it never says “running” again.</source>
        <translation>Dieser Server (der ursprüngliche AgentServer) ändert nur seinen Status in „stopping“: Nichts hält an, und er meldet nie wieder „running“.</translation>
    </message>
    <message>
        <source>The organism at %1 takes no new work, lets in-flight work finish and stops.</source>
        <translation>Der Organismus unter %1 nimmt keine neue Arbeit mehr an, lässt laufende Arbeit abschließen und stoppt.</translation>
    </message>
    <message>
        <source>The organism takes no new work, lets in-flight work finish (at most 10 s) and stops; its API stops answering too. Start runs it again from the configuration file.</source>
        <translation>Der Organismus nimmt keine neue Arbeit mehr an, lässt laufende Arbeit abschließen (höchstens 10 s) und stoppt; auch seine API antwortet dann nicht mehr. Starten lässt ihn wieder mit der Konfigurationsdatei laufen.</translation>
    </message>
    <message>
        <source>Stop the organism “%1”?</source>
        <translation>Den Organismus „%1“ stoppen?</translation>
    </message>
    <message>
        <source>&amp;Stop organism</source>
        <translation>Organismus &amp;stoppen</translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation>A&amp;uslastung</translation>
    </message>
    <message>
        <source>All &amp;organisms</source>
        <translation>Alle &amp;Organismen</translation>
    </message>
    <message>
        <source>&amp;All organisms</source>
        <translation>&amp;Alle Organismen</translation>
    </message>
    <message>
        <source>&amp;Disconnect from this organism</source>
        <translation>Verbindung zu diesem Organismus &amp;trennen</translation>
    </message>
    <message>
        <source>Disconnected from %1</source>
        <translation>Verbindung zu %1 getrennt</translation>
    </message>
    <message>
        <source>Watch one more organism, served by another agentdesk or AgentServer</source>
        <translation>Einen weiteren Organismus beobachten, den ein anderes agentdesk oder ein AgentServer bereitstellt</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>agentdesk::MessageTableModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Thread</source>
        <translation>Thread</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>Payload</translation>
    </message>
</context>
<context>
    <name>agentdesk::MessagesPage</name>
    <message>
        <source>Any agent</source>
        <translation>Alle Agenten</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <source>&amp;Following</source>
        <translation>&amp;Folgt</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Follow (%n new)</source>
        <translation>
            <numerusform>&amp;Folgen (%n neu)</numerusform>
            <numerusform>&amp;Folgen (%n neue)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Folgen</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) in the history</source>
        <translation>
            <numerusform>%n Nachricht im Verlauf</numerusform>
            <numerusform>%n Nachrichten im Verlauf</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n matching message(s)</source>
        <translation>
            <numerusform>%n passende Nachricht</numerusform>
            <numerusform>%n passende Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; %2 loaded</source>
        <translation>%1; %2 geladen</translation>
    </message>
    <message>
        <source>Copy &amp;XML</source>
        <translation>&amp;XML kopieren</translation>
    </message>
    <message>
        <source>Copy message &amp;id</source>
        <translation>Nachrichten-&amp;ID kopieren</translation>
    </message>
    <message>
        <source>Show &amp;thread</source>
        <translation>&amp;Thread zeigen</translation>
    </message>
    <message>
        <source>Only this thread</source>
        <translation>Nur dieser Thread</translation>
    </message>
</context>
<context>
    <name>agentdesk::OrganismDirectoryModel</name>
    <message>
        <source>this organism</source>
        <translation>dieser Organismus</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>gone: %1</source>
        <translation>weg: %1</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>verbinde…</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>wird gestoppt</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>connected (polling)</source>
        <translation>verbunden (Abfrage)</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>running on %1, pid %2</source>
        <translation>läuft auf %1, PID %2</translation>
    </message>
    <message>
        <source>not running, last seen %1</source>
        <translation>läuft nicht, zuletzt gesehen %1</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>läuft nicht</translation>
    </message>
    <message>
        <source>%1 — %2 at %3</source>
        <translation>%1 — %2 unter %3</translation>
    </message>
    <message>
        <source>Runs on %1, pid %2.</source>
        <translation>Läuft auf %1, PID %2.</translation>
    </message>
    <message>
        <source>%1 writes to the history that %2 shares. This window has no connection to it, so it shows only what the history says: whether it runs, and its usage. To watch it live, connect to its API (File → Connect).</source>
        <translation>%1 schreibt in den Verlauf, den %2 teilt. Dieses Fenster hat keine Verbindung zu ihm und zeigt daher nur, was der Verlauf sagt: ob er läuft, und seinen Verbrauch. Um ihn live zu beobachten, verbinden Sie sich mit seiner API (Datei → Verbinden).</translation>
    </message>
    <message>
        <source>local</source>
        <translation>lokal</translation>
    </message>
    <message>
        <source>attached</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>in history</source>
        <translation>im Verlauf</translation>
    </message>
    <message>
        <source>Organism</source>
        <translation>Organismus</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Adresse</translation>
    </message>
</context>
<context>
    <name>agentdesk::OrganismSidebar</name>
    <message>
        <source>&amp;Usage of all organisms</source>
        <translation>&amp;Verbrauch aller Organismen</translation>
    </message>
    <message>
        <source>Tokens, calls and cost of every organism listed here, with their sum</source>
        <translation>Tokens, Aufrufe und Kosten jedes hier gelisteten Organismus, mit ihrer Summe</translation>
    </message>
    <message>
        <source>&amp;Connect to its API on %1…</source>
        <translation>Mit seiner API auf %1 &amp;verbinden…</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Anzeigen</translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation>&amp;Neu verbinden</translation>
    </message>
    <message>
        <source>&amp;Disconnect and remove</source>
        <translation>Verbindung &amp;trennen und entfernen</translation>
    </message>
</context>
<context>
    <name>agentdesk::OrganismsDock</name>
    <message>
        <source>Organisms</source>
        <translation>Organismen</translation>
    </message>
    <message>
        <source>O&amp;rganisms sidebar</source>
        <translation>O&amp;rganismen-Seitenleiste</translation>
    </message>
</context>
<context>
    <name>agentdesk::PayloadForm</name>
    <message>
        <source>Partly checked: leave the field out</source>
        <translation>Teilweise markiert: das Feld weglassen</translation>
    </message>
    <message>
        <source>whole number (optional)</source>
        <translation>ganze Zahl (optional)</translation>
    </message>
    <message>
        <source>whole number</source>
        <translation>ganze Zahl</translation>
    </message>
    <message>
        <source>number (optional)</source>
        <translation>Zahl (optional)</translation>
    </message>
    <message>
        <source>number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <source>text (optional)</source>
        <translation>Text (optional)</translation>
    </message>
    <message>
        <source>%1: a whole number is required</source>
        <translation>%1: eine ganze Zahl ist erforderlich</translation>
    </message>
    <message>
        <source>%1: a number is required</source>
        <translation>%1: eine Zahl ist erforderlich</translation>
    </message>
    <message>
        <source>%1: enter a whole number</source>
        <translation>%1: geben Sie eine ganze Zahl ein</translation>
    </message>
    <message>
        <source>%1: enter a number</source>
        <translation>%1: geben Sie eine Zahl ein</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>%1 hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove this item</source>
        <translation>Diesen Eintrag entfernen</translation>
    </message>
    <message>
        <source>Optional: check to include it</source>
        <translation>Optional: ankreuzen, um es aufzunehmen</translation>
    </message>
    <message>
        <source>(no fields)</source>
        <translation>(keine Felder)</translation>
    </message>
    <message>
        <source>Nested too deeply for the form: use raw XML</source>
        <translation>Zu tief verschachtelt für das Formular: verwenden Sie rohes XML</translation>
    </message>
    <message>
        <source>text (required)</source>
        <translation>Text (Pflichtfeld)</translation>
    </message>
    <message>
        <source>%1 is required</source>
        <translation>%1 ist ein Pflichtfeld</translation>
    </message>
</context>
<context>
    <name>agentdesk::PayloadSchema</name>
    <message>
        <source>not an XML schema</source>
        <translation>kein XML-Schema</translation>
    </message>
    <message>
        <source>the schema declares no element</source>
        <translation>das Schema deklariert kein Element</translation>
    </message>
    <message>
        <source>unknown type %1</source>
        <translation>unbekannter Typ %1</translation>
    </message>
    <message>
        <source>the listener publishes no schema</source>
        <translation>der Listener veröffentlicht kein Schema</translation>
    </message>
    <message>
        <source>%1 is required</source>
        <translation>%1 ist ein Pflichtfeld</translation>
    </message>
    <message>
        <source>The XML is not well-formed</source>
        <translation>Das XML ist nicht wohlgeformt</translation>
    </message>
    <message>
        <source>The root element must be &lt;%1&gt;, not &lt;%2&gt;</source>
        <translation>Das Wurzelelement muss &lt;%1&gt; sein, nicht &lt;%2&gt;</translation>
    </message>
</context>
<context>
    <name>agentdesk::RemoteMessageReader</name>
    <message>
        <source>the message history changed too fast to page through</source>
        <translation>der Nachrichtenverlauf hat sich zu schnell geändert, um ihn seitenweise zu lesen</translation>
    </message>
</context>
<context>
    <name>agentdesk::RemoteSession</name>
    <message>
        <source>not connected to the server</source>
        <translation>nicht mit dem Server verbunden</translation>
    </message>
    <message>
        <source>%1 is not an AgentServer: GET /health did not answer as one</source>
        <translation>%1 ist kein AgentServer: GET /health hat nicht wie einer geantwortet</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>%1 (close code %2)</source>
        <translation>%1 (Schließcode %2)</translation>
    </message>
    <message>
        <source>closed with code %1</source>
        <translation>mit Code %1 geschlossen</translation>
    </message>
    <message>
        <source>closed by the server</source>
        <translation>vom Server geschlossen</translation>
    </message>
    <message>
        <source>Connection to the server lost: %1</source>
        <translation>Verbindung zum Server verloren: %1</translation>
    </message>
    <message>
        <source>WebSocket %1: %2</source>
        <translation>WebSocket %1: %2</translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/threads</source>
        <translation>unerwartete Antwort auf GET /api/v1/threads</translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/messages</source>
        <translation>unerwartete Antwort auf GET /api/v1/messages</translation>
    </message>
    <message>
        <source>maxTokens must be at least 1</source>
        <translation>maxTokens muss mindestens 1 sein</translation>
    </message>
    <message>
        <source>this server cannot change thread budgets</source>
        <translation>dieser Server kann Thread-Budgets nicht ändern</translation>
    </message>
    <message>
        <source>this server does not track usage</source>
        <translation>dieser Server erfasst keinen Verbrauch</translation>
    </message>
    <message>
        <source>the server counts %1 messages, %2 of them never pushed</source>
        <translation>der Server zählt %1 Nachrichten, %2 davon wurden nie übertragen</translation>
    </message>
    <message>
        <source>this server keeps no usage over time</source>
        <translation>dieser Server führt keinen Verbrauch über die Zeit</translation>
    </message>
    <message>
        <source>this server keeps no usage history</source>
        <translation>dieser Server führt keinen Verbrauchsverlauf</translation>
    </message>
    <message>
        <source>this server has no agent or organism budgets</source>
        <translation>dieser Server hat keine Agenten- oder Organismus-Budgets</translation>
    </message>
    <message>
        <source>this server does not offer replay and fork (agentdesk extensions)</source>
        <translation>dieser Server bietet kein erneutes Senden und Abzweigen (agentdesk-Erweiterungen)</translation>
    </message>
    <message>
        <source>this server cannot tell calls apart by outcome</source>
        <translation>dieser Server unterscheidet Aufrufe nicht nach Ergebnis</translation>
    </message>
    <message>
        <source>this server lists no shared history</source>
        <translation>dieser Server listet keinen gemeinsamen Verlauf</translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/history/organisms</source>
        <translation>unerwartete Antwort auf GET /api/v1/history/organisms</translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/usage/billing</source>
        <translation>unerwartete Antwort auf GET /api/v1/usage/billing</translation>
    </message>
</context>
<context>
    <name>agentdesk::ScopeBudgetDialog</name>
    <message>
        <source>&amp;Tokens</source>
        <translation>&amp;Tokens</translation>
    </message>
    <message>
        <source>&amp;US dollars</source>
        <translation>&amp;US-Dollar</translation>
    </message>
    <message>
        <source>&amp;Start counting again now (what it used so far no longer counts)</source>
        <translation>Ab jetzt neu &amp;zählen (der bisherige Verbrauch zählt nicht mehr)</translation>
    </message>
    <message>
        <source>Change the budget: %1</source>
        <translation>Budget ändern: %1</translation>
    </message>
    <message>
        <source>%1 has used %2 of %3 (%4), counted per %5.</source>
        <translation>%1 hat %2 von %3 verbraucht (%4), gezählt pro %5.</translation>
    </message>
    <message>
        <source>Limit in:</source>
        <translation>Grenze in:</translation>
    </message>
    <message>
        <source>&amp;New limit:</source>
        <translation>&amp;Neue Grenze:</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Übernehmen</translation>
    </message>
    <message>
        <source>Enter an amount in US dollars above 0.</source>
        <translation>Einen Betrag in US-Dollar über 0 eingeben.</translation>
    </message>
    <message>
        <source>Enter a whole number of tokens, at least 1.</source>
        <translation>Eine ganze Zahl von Tokens eingeben, mindestens 1.</translation>
    </message>
    <message>
        <source>At or below what it has used: its calls would stay held.</source>
        <translation>Nicht über dem Verbrauch: seine Aufrufe blieben angehalten.</translation>
    </message>
</context>
<context>
    <name>agentdesk::ScopeBudgetModel</name>
    <message>
        <source>Organism</source>
        <translation>Organismus</translation>
    </message>
    <message>
        <source>Agent %1</source>
        <translation>Agent %1</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Tokens</translation>
    </message>
    <message>
        <source>day (UTC)</source>
        <translation>Tag (UTC)</translation>
    </message>
    <message>
        <source>month (UTC)</source>
        <translation>Monat (UTC)</translation>
    </message>
    <message>
        <source>total</source>
        <translation>insgesamt</translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s)</source>
        <translation>
            <numerusform>%n Thread</numerusform>
            <numerusform>%n Threads</numerusform>
        </translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) of models without a price count as $0 here</source>
        <translation>
            <numerusform>%n Aufruf eines Modells ohne Preis zählt hier als 0 $</numerusform>
            <numerusform>%n Aufrufe von Modellen ohne Preis zählen hier als 0 $</numerusform>
        </translation>
    </message>
    <message>
        <source>Counting since %1</source>
        <translation>Gezählt seit %1</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Verbraucht</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Grenze</translation>
    </message>
    <message>
        <source>Used %</source>
        <translation>Verbraucht %</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>Reserviert</translation>
    </message>
    <message>
        <source>Holding</source>
        <translation>Hält fest</translation>
    </message>
    <message>
        <source>Starts again</source>
        <translation>Beginnt neu</translation>
    </message>
</context>
<context>
    <name>agentdesk::ScopeBudgetsView</name>
    <message>
        <source>&amp;Change…</source>
        <translation>Ä&amp;ndern …</translation>
    </message>
    <message>
        <source>This server has no agent or organism budgets.</source>
        <translation>Dieser Server hat keine Agenten- oder Organismus-Budgets.</translation>
    </message>
    <message>
        <source>No agent or organism budgets: give them under budgets: in organism.yaml.</source>
        <translation>Keine Agenten- oder Organismus-Budgets: unter budgets: in organism.yaml angeben.</translation>
    </message>
    <message>
        <source>Calls of an agent whose budget is used up, or of any agent once the organism&apos;s is, are held until the budget is raised, reset or its period starts again.</source>
        <translation>Aufrufe eines Agenten, dessen Budget aufgebraucht ist – oder aller Agenten, wenn das des Organismus aufgebraucht ist –, werden angehalten, bis das Budget erhöht oder zurückgesetzt wird oder sein Zeitraum neu beginnt.</translation>
    </message>
    <message>
        <source>Budget changed: %1</source>
        <translation>Budget geändert: %1</translation>
    </message>
    <message>
        <source>Change the budget of %1</source>
        <translation>Budget von %1 ändern</translation>
    </message>
</context>
<context>
    <name>agentdesk::SessionBanner</name>
    <message>
        <source>Starting the organism…</source>
        <translation>Der Organismus startet…</translation>
    </message>
    <message>
        <source>No organism is running.</source>
        <translation>Kein Organismus läuft.</translation>
    </message>
    <message>
        <source>The organism could not start: %1</source>
        <translation>Der Organismus konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>Not connected to %1.</source>
        <translation>Nicht mit %1 verbunden.</translation>
    </message>
    <message>
        <source>The connection to %1 is gone: %2</source>
        <translation>Die Verbindung zu %1 ist unterbrochen: %2</translation>
    </message>
    <message>
        <source>The organism is stopping: work in flight is allowed to finish.</source>
        <translation>Der Organismus wird gestoppt: laufende Arbeit darf noch abschließen.</translation>
    </message>
    <message>
        <source>The organism is stopped.</source>
        <translation>Der Organismus ist gestoppt.</translation>
    </message>
    <message>
        <source>The history cannot store new messages, so new injects are refused until it can (nothing acknowledged is lost): %1</source>
        <translation>Der Verlauf kann keine neuen Nachrichten speichern, daher werden neue Injektionen abgelehnt, bis er es wieder kann (nichts Bestätigtes geht verloren): %1</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation>&amp;Neu verbinden</translation>
    </message>
    <message>
        <source>Back to the &amp;local organism</source>
        <translation>Zurück zum &amp;lokalen Organismus</translation>
    </message>
    <message>
        <source>Remote: the organism “%1” at %2 (agentdesk). Every command acts on that server.</source>
        <translation>Entfernt: der Organismus „%1“ unter %2 (agentdesk). Jeder Befehl wirkt auf diesen Server.</translation>
    </message>
    <message>
        <source>Remote: the organism “%1” at %2 (the original AgentServer: its pause, kill and stop only change labels). Every command acts on that server.</source>
        <translation>Entfernt: der Organismus „%1“ unter %2 (der ursprüngliche AgentServer: Anhalten, Terminieren und Stoppen ändern dort nur Bezeichnungen). Jeder Befehl wirkt auf diesen Server.</translation>
    </message>
    <message>
        <source>Live updates unavailable — polling every 2 s.</source>
        <translation>Keine Live-Aktualisierung – Abfrage alle 2 s.</translation>
    </message>
    <message>
        <source>It is stopping.</source>
        <translation>Er wird gestoppt.</translation>
    </message>
    <message>
        <source>It says “stopping”, but that is only a label: it goes on working.</source>
        <translation>Er meldet „stopping“, aber das ist nur eine Bezeichnung: Er arbeitet weiter.</translation>
    </message>
    <message>
        <source>It is stopped.</source>
        <translation>Er ist gestoppt.</translation>
    </message>
</context>
<context>
    <name>agentdesk::StatusHeader</name>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>wird gestoppt</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message numerus="yes">
        <source>%nd %1</source>
        <translation>
            <numerusform>%n T. %1</numerusform>
            <numerusform>%n T. %1</numerusform>
        </translation>
    </message>
    <message>
        <source>No organism</source>
        <translation>Kein Organismus</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>verbinde…</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message numerus="yes">
        <source>%n listener(s)</source>
        <translation>
            <numerusform>%n Listener</numerusform>
            <numerusform>%n Listener</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active thread(s)</source>
        <translation>
            <numerusform>%n aktiver Thread</numerusform>
            <numerusform>%n aktive Threads</numerusform>
        </translation>
    </message>
    <message>
        <source>queue %1/%2</source>
        <translation>Warteschlange %1/%2</translation>
    </message>
    <message numerus="yes">
        <source>%n inject(s) refused</source>
        <translation>
            <numerusform>%n Injektion abgelehnt</numerusform>
            <numerusform>%n Injektionen abgelehnt</numerusform>
        </translation>
    </message>
    <message>
        <source>saturated</source>
        <translation>ausgelastet</translation>
    </message>
    <message>
        <source>%1 waits %2 s for a rate limit</source>
        <translation>%1 wartet %2 s auf ein Ratenlimit</translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadModel</name>
    <message>
        <source>Thread</source>
        <translation>Thread</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>Beteiligte</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Letzte Aktivität</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Budget used</source>
        <translation>Budget verbraucht</translation>
    </message>
    <message>
        <source>waiting on paused %1</source>
        <translation>wartet auf angehaltenen %1</translation>
    </message>
    <message>
        <source>Its last message is queued for %1, which is paused: resume it to let the thread go on</source>
        <translation>Seine letzte Nachricht wartet bei %1, der angehalten ist: Setzen Sie ihn fort, damit der Thread weiterläuft</translation>
    </message>
    <message>
        <source>Started with</source>
        <translation>Begonnen mit</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Tokens</translation>
    </message>
    <message>
        <source>%1 of %2 tokens</source>
        <translation>%1 von %2 Tokens</translation>
    </message>
    <message>
        <source>%1 tokens; the thread&apos;s budget ended before the window saw its limit</source>
        <translation>%1 Tokens; das Budget des Threads endete, bevor das Fenster sein Limit sah</translation>
    </message>
    <message>
        <source>No LLM call seen for this thread</source>
        <translation>Für diesen Thread wurde kein LLM-Aufruf gesehen</translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadTimelineModel</name>
    <message>
        <source>unpriced</source>
        <translation>ohne Preis</translation>
    </message>
    <message>
        <source>%1 + unpriced</source>
        <translation>%1 + ohne Preis</translation>
    </message>
    <message>
        <source>%1 prompt (%2 cached) · %3 completion</source>
        <translation>%1 Prompt (%2 aus dem Cache) · %3 Antwort</translation>
    </message>
    <message>
        <source>copied from %1</source>
        <translation>kopiert aus %1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>not handled</source>
        <translation>nicht bearbeitet</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>#%1 at %2</source>
        <translation>Nr. %1 um %2</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>läuft…</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Tokens</translation>
    </message>
    <message>
        <source>Payload: %1</source>
        <translation>Payload: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>LLM call %1: %2</source>
        <translation>LLM-Aufruf %1: %2</translation>
    </message>
    <message>
        <source>Prompt: %1 characters</source>
        <translation>Prompt: %1 Zeichen</translation>
    </message>
    <message>
        <source>Response: %1</source>
        <translation>Antwort: %1</translation>
    </message>
    <message>
        <source>Hop</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Waited</source>
        <translation>Gewartet</translation>
    </message>
    <message>
        <source>Handled in</source>
        <translation>Bearbeitet in</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>%1 in (%2 cached) · %3 out</source>
        <translation>%1 ein (davon %2 Cache) · %3 aus</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>%1 ein · %2 aus</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>waiting (paused)</source>
        <translation>wartet (angehalten)</translation>
    </message>
    <message>
        <source>%1 is paused: the message waits in its queue until it is resumed</source>
        <translation>%1 ist angehalten: die Nachricht wartet in seiner Warteschlange, bis er fortgesetzt wird</translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadTimelineView</name>
    <message>
        <source>Re&amp;play…</source>
        <translation>&amp;Erneut senden…</translation>
    </message>
    <message>
        <source>F&amp;ork…</source>
        <translation>&amp;Abzweigen…</translation>
    </message>
    <message>
        <source>Select a payload, prompt, response or error to read it whole</source>
        <translation>Eine Payload, einen Prompt, eine Antwort oder einen Fehler wählen, um sie ganz zu lesen</translation>
    </message>
    <message>
        <source>Forked from thread %1</source>
        <translation>Abgezweigt von Thread %1</translation>
    </message>
    <message>
        <source>Replayed from thread %1</source>
        <translation>Erneut gesendet aus Thread %1</translation>
    </message>
    <message>
        <source>the newest %1 of %2 hops</source>
        <translation>die neuesten %1 von %2 Schritten</translation>
    </message>
    <message>
        <source>this server records no queue or handler times: its messages alone</source>
        <translation>dieser Server zeichnet keine Warte- oder Handler-Zeiten auf: nur seine Nachrichten</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lädt…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>This server does not offer replay and fork (they are agentdesk extensions)</source>
        <translation>Dieser Server bietet kein erneutes Senden und Abzweigen (das sind agentdesk-Erweiterungen)</translation>
    </message>
    <message>
        <source>The organism is not running</source>
        <translation>Der Organismus läuft nicht</translation>
    </message>
    <message>
        <source>Select a hop of the timeline first</source>
        <translation>Zuerst einen Schritt der Zeitleiste wählen</translation>
    </message>
    <message>
        <source>Send the selected message&apos;s payload (edit it first if you like) to the same listener in a new thread</source>
        <translation>Die Payload der gewählten Nachricht (auf Wunsch vorher bearbeitet) in einem neuen Thread an denselben Listener senden</translation>
    </message>
    <message>
        <source>A new thread with this thread&apos;s history up to the selected message, then that message (edit it first if you like)</source>
        <translation>Ein neuer Thread mit dem Verlauf dieses Threads bis zur gewählten Nachricht, dann diese Nachricht (auf Wunsch vorher bearbeitet)</translation>
    </message>
    <message>
        <source>Forked into thread %1</source>
        <translation>In Thread %1 abgezweigt</translation>
    </message>
    <message>
        <source>Replayed in thread %1</source>
        <translation>In Thread %1 erneut gesendet</translation>
    </message>
    <message>
        <source>&amp;Copy text</source>
        <translation>Text &amp;kopieren</translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadsPage</name>
    <message>
        <source>Any</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>No thread selected</source>
        <translation>Kein Thread gewählt</translation>
    </message>
    <message>
        <source>Thread %1</source>
        <translation>Thread %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Showing the newest %1 of %2 messages</source>
        <translation>Die neuesten %1 von %2 Nachrichten</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n Nachricht</numerusform>
            <numerusform>%n Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>Killed thread %1</source>
        <translation>Thread %1 terminiert</translation>
    </message>
    <message>
        <source>Kill thread %1</source>
        <translation>Thread %1 terminieren</translation>
    </message>
    <message>
        <source>Budget of thread %1 set to %2 tokens</source>
        <translation>Budget von Thread %1 auf %2 Tokens gesetzt</translation>
    </message>
    <message>
        <source>Raise the budget of thread %1</source>
        <translation>Budget von Thread %1 erhöhen</translation>
    </message>
    <message>
        <source>&amp;Raise budget…</source>
        <translation>Budget &amp;erhöhen…</translation>
    </message>
    <message>
        <source>&amp;Copy id</source>
        <translation>ID &amp;kopieren</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Following (%n new)</source>
        <translation>
            <numerusform>&amp;Folgt (%n neu)</numerusform>
            <numerusform>&amp;Folgt (%n neue)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Following</source>
        <translation>&amp;Folgt</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Follow (%n new)</source>
        <translation>
            <numerusform>&amp;Folgen (%n neu)</numerusform>
            <numerusform>&amp;Folgen (%n neue)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Folgen</translation>
    </message>
    <message>
        <source>Held while the pointer is on the list; new threads are shown when it leaves</source>
        <translation>Angehalten, solange der Mauszeiger auf der Liste ist; neue Threads erscheinen, wenn er sie verlässt</translation>
    </message>
    <message>
        <source>Show new threads at the top as they start, or hold the list still (it also holds while the pointer is on it)</source>
        <translation>Neue Threads oben zeigen, sobald sie beginnen, oder die Liste anhalten (sie hält auch still, solange der Mauszeiger auf ihr ist)</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s) in the history</source>
        <translation>
            <numerusform>%n Thread im Verlauf</numerusform>
            <numerusform>%n Threads im Verlauf</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n matching thread(s)</source>
        <translation>
            <numerusform>%n passender Thread</numerusform>
            <numerusform>%n passende Threads</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; %2 loaded</source>
        <translation>%1; %2 geladen</translation>
    </message>
    <message>
        <source>waiting on paused %1</source>
        <translation>wartet auf angehaltenen %1</translation>
    </message>
    <message>
        <source>Thread id %1</source>
        <translation>Thread-ID %1</translation>
    </message>
    <message>
        <source>The thread has ended</source>
        <translation>Der Thread ist beendet</translation>
    </message>
    <message>
        <source>Cancel the thread&apos;s queued and in-flight work (Ctrl+K)</source>
        <translation>Die wartende und laufende Arbeit des Threads beenden (Strg+K)</translation>
    </message>
    <message>
        <source>This server only marks the thread killed: its work goes on (Ctrl+K)</source>
        <translation>Dieser Server markiert den Thread nur als terminiert: Seine Arbeit geht weiter (Strg+K)</translation>
    </message>
    <message>
        <source>This server cannot change thread budgets</source>
        <translation>Dieser Server kann Thread-Budgets nicht ändern</translation>
    </message>
    <message>
        <source>The thread has made no LLM call yet: it has no budget</source>
        <translation>Der Thread hat noch keinen LLM-Aufruf gemacht: Er hat kein Budget</translation>
    </message>
    <message>
        <source>Give the thread more tokens; a held thread goes on (Ctrl+B)</source>
        <translation>Dem Thread mehr Tokens geben; ein angehaltener Thread läuft weiter (Strg+B)</translation>
    </message>
    <message>
        <source>This server (the original AgentServer) only marks the thread killed: its queued and in-flight work goes on.</source>
        <translation>Dieser Server (der ursprüngliche AgentServer) markiert den Thread nur als terminiert: Seine wartende und laufende Arbeit geht weiter.</translation>
    </message>
    <message>
        <source>Its queued and in-flight work, LLM calls included, is cancelled and its budget freed. This cannot be undone.</source>
        <translation>Seine wartende und laufende Arbeit, LLM-Aufrufe eingeschlossen, wird beendet und sein Budget freigegeben. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Kill thread %1?</source>
        <translation>Thread %1 terminieren?</translation>
    </message>
    <message>
        <source>&amp;Kill thread</source>
        <translation>Thread &amp;terminieren</translation>
    </message>
    <message>
        <source>Thread %1 marked killed — this server does not stop its work</source>
        <translation>Thread %1 als terminiert markiert – dieser Server beendet seine Arbeit nicht</translation>
    </message>
    <message>
        <source>&amp;Kill…</source>
        <translation>&amp;Terminieren…</translation>
    </message>
    <message>
        <source>Thread %1 runs again from its failed delivery</source>
        <translation>Thread %1 läuft ab der fehlgeschlagenen Zustellung erneut</translation>
    </message>
    <message>
        <source>Retry thread %1</source>
        <translation>Thread %1 erneut ausführen</translation>
    </message>
    <message>
        <source>R&amp;etry</source>
        <translation>E&amp;rneut ausführen</translation>
    </message>
</context>
<context>
    <name>agentdesk::TokenRateChart</name>
    <message>
        <source>Tokens per minute by model</source>
        <translation>Tokens pro Minute nach Modell</translation>
    </message>
    <message>
        <source>%1 (demo)</source>
        <translation>%1 (Demo)</translation>
    </message>
    <message>
        <source>Tokens per hour by model</source>
        <translation>Tokens pro Stunde nach Modell</translation>
    </message>
    <message>
        <source>Tokens per day by model</source>
        <translation>Tokens pro Tag nach Modell</translation>
    </message>
    <message>
        <source>last 15 minutes</source>
        <translation>letzte 15 Minuten</translation>
    </message>
    <message>
        <source>last hour</source>
        <translation>letzte Stunde</translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation>letzte 24 Stunden</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>letzte 7 Tage</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 — no LLM calls (%2)</source>
        <translation>%1 – keine LLM-Aufrufe (%2)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageByAgentModel</name>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageByModelModel</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageCountersModel</name>
    <message numerus="yes">
        <source>%n call(s) without a known price: the cost is a lower bound</source>
        <translation>
            <numerusform>%n Aufruf ohne bekannten Preis: die Kosten sind eine Untergrenze</numerusform>
            <numerusform>%n Aufrufe ohne bekannten Preis: die Kosten sind eine Untergrenze</numerusform>
        </translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Avg latency</source>
        <translation>Mittl. Latenz</translation>
    </message>
    <message>
        <source>Unusable replies: %1, failed with tokens: %2, aborted on the wire: %3</source>
        <translation>Unbrauchbare Antworten: %1, mit Tokens fehlgeschlagen: %2, unterwegs abgebrochen: %3</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>Zwischengespeichert</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>Cache-Schreiben</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Reasoning</translation>
    </message>
    <message>
        <source>Not ok</source>
        <translation>Nicht ok</translation>
    </message>
    <message>
        <source>Avg TTFT</source>
        <translation>Ø TTFT</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>Tokens/s</translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageFilterBar</name>
    <message>
        <source>All agents</source>
        <translation>Alle Agenten</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>Alle Modelle</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Alle Ergebnisse</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>unusable reply</source>
        <translation>unbrauchbare Antwort</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>aborted</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>A 2xx reply that could not be used</source>
        <translation>Eine 2xx-Antwort, die nicht verwendet werden konnte</translation>
    </message>
    <message>
        <source>An HTTP error or a cut stream that carried tokens</source>
        <translation>Ein HTTP-Fehler oder ein abgebrochener Stream, der Tokens enthielt</translation>
    </message>
    <message>
        <source>Sent, never answered</source>
        <translation>Gesendet, nie beantwortet</translation>
    </message>
    <message>
        <source>Only the calls that ended so</source>
        <translation>Nur die Aufrufe mit diesem Ergebnis</translation>
    </message>
    <message>
        <source>This server records no outcome of its calls (the original AgentServer): the chart counts every call, whatever its outcome.</source>
        <translation>Dieser Server erfasst kein Ergebnis seiner Aufrufe (der ursprüngliche AgentServer): das Diagramm zählt jeden Aufruf, gleich mit welchem Ergebnis.</translation>
    </message>
    <message>
        <source>Only this agent&apos;s calls</source>
        <translation>Nur die Aufrufe dieses Agenten</translation>
    </message>
    <message>
        <source>Only the calls of this model (the name the provider returned)</source>
        <translation>Nur die Aufrufe dieses Modells (der Name, den der Anbieter zurückgab)</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>Agent:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>Ergebnis:</translation>
    </message>
</context>
<context>
    <name>agentdesk::UsagePage</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Usage by &amp;model…</source>
        <translation>Verbrauch nach &amp;Modell…</translation>
    </message>
    <message>
        <source>Usage by &amp;agent…</source>
        <translation>Verbrauch nach &amp;Agent…</translation>
    </message>
    <message>
        <source>Thread &amp;budgets…</source>
        <translation>Thread-&amp;Budgets…</translation>
    </message>
    <message>
        <source>Tokens per minute from the &amp;history…</source>
        <translation>Tokens pro Minute aus dem &amp;Verlauf…</translation>
    </message>
    <message>
        <source>%1 prompt (%2 cached), %3 completion</source>
        <translation>%1 Prompt (%2 aus dem Cache), %3 Antwort</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) have no known price and are not in the cost.</source>
        <translation>
            <numerusform>%n Aufruf hat keinen bekannten Preis und ist nicht in den Kosten enthalten.</numerusform>
            <numerusform>%n Aufrufe haben keinen bekannten Preis und sind nicht in den Kosten enthalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Usage counters reset; the history keeps every call</source>
        <translation>Verbrauchszähler zurückgesetzt; der Verlauf behält jeden Aufruf</translation>
    </message>
    <message>
        <source>Reset usage</source>
        <translation>Verbrauch zurücksetzen</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Save chart as PNG</source>
        <translation>Diagramm als PNG speichern</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Every call went to the offline demo provider, which has no price.</source>
        <translation>Alle Aufrufe gingen an den Offline-Demo-Anbieter, der keinen Preis hat.</translation>
    </message>
    <message>
        <source>Reset the usage counters?</source>
        <translation>Die Verbrauchszähler zurücksetzen?</translation>
    </message>
    <message>
        <source>Tokens, requests and costs start again from zero, here and in the API&apos;s /usage. The history keeps every call; budgets are not touched.</source>
        <translation>Tokens, Anfragen und Kosten beginnen wieder bei null, hier und in /usage der API. Der Verlauf behält jeden Aufruf; Budgets bleiben unberührt.</translation>
    </message>
    <message>
        <source>&amp;Reset counters</source>
        <translation>Zähler &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>the history holds no LLM calls to export</source>
        <translation>der Verlauf enthält keine LLM-Aufrufe zum Exportieren</translation>
    </message>
    <message>
        <source>Agent and &amp;organism budgets</source>
        <translation>Agenten- und &amp;Organismus-Budgets</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>From – to…</source>
        <translation>Von – bis…</translation>
    </message>
    <message>
        <source>unpriced</source>
        <translation>ohne Preis</translation>
    </message>
    <message>
        <source>%1 + unpriced</source>
        <translation>%1 + ohne Preis</translation>
    </message>
    <message>
        <source>In this range: %1 tokens · %2 calls · %3</source>
        <translation>In diesem Zeitraum: %1 Tokens · %2 Aufrufe · %3</translation>
    </message>
    <message>
        <source>In this range, filtered: %1 tokens · %2 calls · %3</source>
        <translation>In diesem Zeitraum, gefiltert: %1 Tokens · %2 Aufrufe · %3</translation>
    </message>
</context>
<context>
    <name>agentdesk::ViewDefaults</name>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
</context>
<context>
    <name>agentdesk::modelformat</name>
    <message>
        <source>idle</source>
        <translation>untätig</translation>
    </message>
    <message>
        <source>processing</source>
        <translation>arbeitet</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>killed</source>
        <translation>terminiert</translation>
    </message>
</context>
</TS>
