<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>AgentsPage</name>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold the agent&apos;s queue: messages wait until it is resumed (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let the agent take messages again (Ctrl+Shift+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Inject to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a message to this agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handler:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Example</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BudgetDialog</name>
    <message>
        <source>Raise the thread&apos;s budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New maximum (tokens):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CapabilitiesPage</name>
    <message>
        <source>Schema (XSD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Example payload:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Inject this example…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Hosts a multi-agent organism, serves the AgentServer API and shows it live in a desktop window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organism configuration (organism.yaml). Default: the bundled demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run without a window until SIGINT or SIGTERM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address the API listens on. Default: 127.0.0.1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API port. Default: organism.port (8765).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the history is kept. Default: the user&apos;s data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the window even on the offscreen or minimal platform.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a PNG of every page into DIR, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds to wait before the screenshots. Default: 5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print when the window was first painted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the window attached to the AgentServer at URL (another agentdesk, or the original) instead of running an organism here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --connect: the environment variable that holds the server&apos;s API key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the configuration: print every error and warning (file:line: key: message), start nothing; exit 0 when it can run, 2 when not.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to an AgentServer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch and steer an organism served by another agentdesk or by the original AgentServer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Saved:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sa&amp;ve…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this server under a name (the key is never stored, only the environment variable that holds it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a&amp;gentdesk (port 8765)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the &amp;original AgentServer (port 8080)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only if the server asks for one; used for this connection only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key from &amp;environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name of a variable that holds the key, e.g. AGENTSERVER_API_KEY</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InjectDialog</name>
    <message>
        <source>Inject a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The listener that receives the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;hread:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: start a new thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Raw XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the &amp;example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the text with the target&apos;s example payload</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>agentdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to AgentServer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch an organism served by another agentdesk or AgentServer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the &amp;local organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the organism this agentdesk runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the organism (draining what is in flight) and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Inject message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a message to a listener</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-read organism.yaml and apply the differences without a restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop taking work, let in-flight work finish (bounded), then stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>St&amp;art organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the stopped organism again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold the selected agent&apos;s queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Res&amp;ume agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let the selected agent take messages again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the selected thread&apos;s work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raise thread &amp;budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the selected thread more tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zero the usage counters; the history keeps every call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Capabilities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Follow new messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the live edge of the message log, or hold it still</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the message payloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About agentdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top organism…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill thread…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset &amp;usage counters…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;revious page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;etry thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the selected thread in error again from its failed delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessagesPage</name>
    <message>
        <source>Only messages from or to this agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>thread id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only messages of this thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only messages of this payload type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>search the payloads (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow new messages as they arrive, or hold the list still to read it (Ctrl+Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusHeader</name>
    <message>
        <source>Uptime:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages/s:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThreadsPage</name>
    <message>
        <source>&amp;Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;gent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Raise budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the thread more tokens; a held thread goes on (Ctrl+B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the thread&apos;s queued and in-flight work (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Following</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show new threads at the top as they start, or hold the list still (it also holds while the pointer is on it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;nversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsagePage</name>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zero the counters; the history keeps every call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save chart as &amp;PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By &amp;model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By &amp;agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread &amp;budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;ange:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From (local time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (local time)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk</name>
    <message>
        <source>Connection refused by %1 (is the server running?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host not found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 closed the connection before answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::AgentModel</name>
    <message numerus="yes">
        <source>%n call(s) without a known price: the cost is a lower bound</source>
        <translation>
            <numerusform>%n call without a known price: the cost is a lower bound</numerusform>
            <numerusform>%n calls without a known price: the cost is a lower bound</numerusform>
        </translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its LLM calls wait at %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::AgentsPage</name>
    <message numerus="yes">
        <source>%n listener(s)</source>
        <translation>
            <numerusform>%n listener</numerusform>
            <numerusform>%n listeners</numerusform>
        </translation>
    </message>
    <message>
        <source>No agent selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM agent (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resumed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Inject to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not reported by this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server&apos;s pause only changes the agent&apos;s state: it goes on taking and handling messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold the agent&apos;s queue: messages for it wait until it is resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 marked paused — this server goes on sending it messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::AlertCenter</name>
    <message>
        <source>%1 of %2 tokens used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread %1 passed 90 % of its budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread %1 passed 95 % of its budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread %1 is held: budget exhausted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. Raise its budget or kill it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent %1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is in the error state.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism&apos;s budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent %1&apos;s budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 used, counted per %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 passed 90 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 passed 95 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism&apos;s budget is used up: its calls are held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent %1&apos;s budget is used up: its calls are held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. Raise or reset it on the Usage page.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::Application</name>
    <message>
        <source>the configuration has errors (see the terminal)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::BacklogModel</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listener</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for a rate limit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::BudgetBar</name>
    <message>
        <source>Marks at 75 %, 90 % and 95 %; at 100 % the thread is held until its budget is raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no budget (the thread is not metered or has ended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2 tokens (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — exhausted, thread held</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::BudgetDialog</name>
    <message>
        <source>&amp;Raise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread %1 has used %2 of %3 tokens (%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a whole number of tokens, at least 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At or below what the thread has used: it would stay held.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::BudgetModel</name>
    <message>
        <source>exhausted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::CapabilitiesPage</name>
    <message>
        <source>No listener selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>payload type %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>declared as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no peers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing key: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::CapabilityModel</name>
    <message>
        <source>agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Root element</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing key: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::CombinedUsageModel</name>
    <message>
        <source>sum of the rows above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>live, since its last reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history, read at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history not read yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All organisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history&apos;s billing sums have no cache or reasoning split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unpriced calls</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::CombinedUsagePage</name>
    <message>
        <source>Organisms this window is connected to show their live counters (since their last reset). Organisms found only in a shared history show what the history holds (everything they recorded, read every 10 s through the session that shares it); the history&apos;s sums have no cache or reasoning split.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ConnectDialog</name>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(choose one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name for %1 (the key itself is not saved):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an http:// or https:// address with a host, e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not the name of an environment variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment variable %1 is not set (or empty) for agentdesk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ConversationDelegate</name>
    <message numerus="yes">
        <source>… %n more line(s)</source>
        <translation>
            <numerusform>… %n more line</numerusform>
            <numerusform>… %n more lines</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>agentdesk::ConversationModel</name>
    <message>
        <source>replying…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::CostByAgentChart</name>
    <message>
        <source>Cost by agent (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost by agent (USD) — no LLM calls yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost by agent (USD) — no call has a known price</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::CostDisplayProxy</name>
    <message>
        <source>unpriced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No LLM calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served by the offline demo provider: it costs nothing and has no price</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) without a known price: the cost is a lower bound</source>
        <translation>
            <numerusform>%n call without a known price: the cost is a lower bound</numerusform>
            <numerusform>%n calls without a known price: the cost is a lower bound</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (demo)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::InjectDialog</name>
    <message>
        <source>Unknown target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The queue is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism is not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fields of %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No form for this target (%1): write the payload as XML.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No listener to send to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the payload XML.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history cannot store it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new: the history up to this message, then this message from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new: this payload alone, from you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fork at this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fork</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Replay</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::LlmBackendModel</name>
    <message numerus="yes">
        <source>rate-limited for %n s</source>
        <translation>
            <numerusform>rate-limited for %n s</numerusform>
            <numerusform>rate-limited for %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>failing since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for its token bucket: %1 of %2 tokens a minute left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not streamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agents: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency p50 / p95</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First token p50 / p95</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for its token bucket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all slots busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all slots busy (%1), %2 queued</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::LlmBackendsView</name>
    <message numerus="yes">
        <source>LLM backends — %n holding calls up</source>
        <translation>
            <numerusform>LLM backends — %n holding calls up</numerusform>
            <numerusform>LLM backends — %n holding calls up</numerusform>
        </translation>
    </message>
    <message>
        <source>LLM backends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM backends: this server does not report them (GET /llm/backends is an agentdesk extension)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM backends: none configured in this organism</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::LoadChart</name>
    <message>
        <source>Queue and throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>messages queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>messages/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::LoadPage</name>
    <message>
        <source>Messages/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Injects refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handler time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the work waits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 handler calls ended in the last minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counted here from the server&apos;s totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server does not report it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server reports no queue, refusals or handler times (they are agentdesk extensions): only messages per second are shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new injects are admitted below %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>since start-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>threads that ended in error in the last minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>median · 95th percentile, last minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saturated: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bottleneck: %1 waits %2 s for an LLM backend&apos;s rate limit (%3 queued)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest queue: %1 is paused with %2 waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest queue: %1 (%2 waiting, %3 running)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping up: nothing waits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saturated: %1 — held up by LLM backend %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bottleneck: LLM backend %1 — %2 (%3 has %4 queued)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM backend %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::LocalSession</name>
    <message>
        <source>not connected to the organism</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::MainWindow</name>
    <message>
        <source>added %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration reloaded: nothing changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration reloaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Capabilities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this kind of server is not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error in %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available in this build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agentdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — agentdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload the configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the organism…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About agentdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;agentdesk %1&lt;/b&gt;&lt;p&gt;Hosts a multi-agent organism, serves the AgentServer API and shows it live.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server now says “stopping”, but its stop changes only that word: the organism goes on, and so do the commands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism at %1 has stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism has stopped; Start runs it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold the selected agent&apos;s queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server&apos;s pause only changes the agent&apos;s state: it goes on working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the selected thread&apos;s work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server&apos;s kill only marks the thread killed: its work goes on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop taking work, let in-flight work finish (bounded), then stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server&apos;s stop only changes its status to “stopping”: nothing stops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 (remote) — agentdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Injected into thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server (the original AgentServer) only changes its status to “stopping”: nothing stops, and it never says “running” again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism at %1 takes no new work, lets in-flight work finish and stops.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism takes no new work, lets in-flight work finish (at most 10 s) and stops; its API stops answering too. Start runs it again from the configuration file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the organism “%1”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All &amp;organisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;All organisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect from this organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch one more organism, served by another agentdesk or AgentServer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::MessageTableModel</name>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::MessagesPage</name>
    <message>
        <source>Any agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Following</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Follow (%n new)</source>
        <translation>
            <numerusform>&amp;Follow (%n new)</numerusform>
            <numerusform>&amp;Follow (%n new)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) in the history</source>
        <translation>
            <numerusform>%n message in the history</numerusform>
            <numerusform>%n messages in the history</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n matching message(s)</source>
        <translation>
            <numerusform>%n matching message</numerusform>
            <numerusform>%n matching messages</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; %2 loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy message &amp;id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this thread</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::OrganismDirectoryModel</name>
    <message>
        <source>this organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gone: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected (polling)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running on %1, pid %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not running, last seen %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 at %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs on %1, pid %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 writes to the history that %2 shares. This window has no connection to it, so it shows only what the history says: whether it runs, and its usage. To watch it live, connect to its API (File → Connect).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::OrganismSidebar</name>
    <message>
        <source>&amp;Usage of all organisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens, calls and cost of every organism listed here, with their sum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to its API on %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect and remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::OrganismsDock</name>
    <message>
        <source>Organisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>O&amp;rganisms sidebar</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::PayloadForm</name>
    <message>
        <source>Partly checked: leave the field out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole number (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>number (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a whole number is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a number is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: enter a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: enter a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: check to include it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no fields)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nested too deeply for the form: use raw XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is required</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::PayloadSchema</name>
    <message>
        <source>not an XML schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the schema declares no element</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown type %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the listener publishes no schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The XML is not well-formed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The root element must be &lt;%1&gt;, not &lt;%2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::RemoteMessageReader</name>
    <message>
        <source>the message history changed too fast to page through</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::RemoteSession</name>
    <message>
        <source>not connected to the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an AgentServer: GET /health did not answer as one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (close code %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed with code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection to the server lost: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maxTokens must be at least 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server cannot change thread budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server does not track usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server counts %1 messages, %2 of them never pushed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server keeps no usage over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server keeps no usage history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server has no agent or organism budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server does not offer replay and fork (agentdesk extensions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server cannot tell calls apart by outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server lists no shared history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/history/organisms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected answer to GET /api/v1/usage/billing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ScopeBudgetDialog</name>
    <message>
        <source>&amp;Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;US dollars</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start counting again now (what it used so far no longer counts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the budget: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has used %2 of %3 (%4), counted per %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limit in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an amount in US dollars above 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a whole number of tokens, at least 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At or below what it has used: its calls would stay held.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ScopeBudgetModel</name>
    <message>
        <source>Organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>day (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>month (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s)</source>
        <translation>
            <numerusform>%n thread</numerusform>
            <numerusform>%n threads</numerusform>
        </translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) of models without a price count as $0 here</source>
        <translation>
            <numerusform>%n call of a model without a price counts as $0 here</numerusform>
            <numerusform>%n calls of models without a price count as $0 here</numerusform>
        </translation>
    </message>
    <message>
        <source>Counting since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starts again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ScopeBudgetsView</name>
    <message>
        <source>&amp;Change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server has no agent or organism budgets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No agent or organism budgets: give them under budgets: in organism.yaml.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls of an agent whose budget is used up, or of any agent once the organism&apos;s is, are held until the budget is raised, reset or its period starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the budget of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::SessionBanner</name>
    <message>
        <source>Starting the organism…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No organism is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to %1 is gone: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism is stopping: work in flight is allowed to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism is stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history cannot store new messages, so new injects are refused until it can (nothing acknowledged is lost): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the &amp;local organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote: the organism “%1” at %2 (agentdesk). Every command acts on that server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote: the organism “%1” at %2 (the original AgentServer: its pause, kill and stop only change labels). Every command acts on that server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live updates unavailable — polling every 2 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is stopping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It says “stopping”, but that is only a label: it goes on working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is stopped.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::StatusHeader</name>
    <message>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%nd %1</source>
        <translation>
            <numerusform>%nd %1</numerusform>
            <numerusform>%nd %1</numerusform>
        </translation>
    </message>
    <message>
        <source>No organism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n listener(s)</source>
        <translation>
            <numerusform>%n listener</numerusform>
            <numerusform>%n listeners</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active thread(s)</source>
        <translation>
            <numerusform>%n active thread</numerusform>
            <numerusform>%n active threads</numerusform>
        </translation>
    </message>
    <message>
        <source>queue %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n inject(s) refused</source>
        <translation>
            <numerusform>%n inject refused</numerusform>
            <numerusform>%n injects refused</numerusform>
        </translation>
    </message>
    <message>
        <source>saturated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 waits %2 s for a rate limit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadModel</name>
    <message>
        <source>Thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting on paused %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its last message is queued for %1, which is paused: resume it to let the thread go on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens; the thread&apos;s budget ended before the window saw its limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No LLM call seen for this thread</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadTimelineModel</name>
    <message>
        <source>unpriced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 + unpriced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 prompt (%2 cached) · %3 completion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copied from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM call %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt: %1 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in (%2 cached) · %3 out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting (paused)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is paused: the message waits in its queue until it is resumed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadTimelineView</name>
    <message>
        <source>Re&amp;play…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;ork…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a payload, prompt, response or error to read it whole</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forked from thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replayed from thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the newest %1 of %2 hops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this server records no queue or handler times: its messages alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server does not offer replay and fork (they are agentdesk extensions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organism is not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a hop of the timeline first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the selected message&apos;s payload (edit it first if you like) to the same listener in a new thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new thread with this thread&apos;s history up to the selected message, then that message (edit it first if you like)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forked into thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replayed in thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ThreadsPage</name>
    <message>
        <source>Any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No thread selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing the newest %1 of %2 messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message>
        <source>Killed thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget of thread %1 set to %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raise the budget of thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Raise budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy id</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Following (%n new)</source>
        <translation>
            <numerusform>&amp;Following (%n new)</numerusform>
            <numerusform>&amp;Following (%n new)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Following</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Follow (%n new)</source>
        <translation>
            <numerusform>&amp;Follow (%n new)</numerusform>
            <numerusform>&amp;Follow (%n new)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held while the pointer is on the list; new threads are shown when it leaves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show new threads at the top as they start, or hold the list still (it also holds while the pointer is on it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s) in the history</source>
        <translation>
            <numerusform>%n thread in the history</numerusform>
            <numerusform>%n threads in the history</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n matching thread(s)</source>
        <translation>
            <numerusform>%n matching thread</numerusform>
            <numerusform>%n matching threads</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; %2 loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting on paused %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread id %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The thread has ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the thread&apos;s queued and in-flight work (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server only marks the thread killed: its work goes on (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server cannot change thread budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The thread has made no LLM call yet: it has no budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the thread more tokens; a held thread goes on (Ctrl+B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server (the original AgentServer) only marks the thread killed: its queued and in-flight work goes on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its queued and in-flight work, LLM calls included, is cancelled and its budget freed. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill thread %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread %1 marked killed — this server does not stop its work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread %1 runs again from its failed delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry thread %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;etry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::TokenRateChart</name>
    <message>
        <source>Tokens per minute by model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per hour by model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per day by model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — no LLM calls (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageByAgentModel</name>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageByModelModel</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageCountersModel</name>
    <message numerus="yes">
        <source>%n call(s) without a known price: the cost is a lower bound</source>
        <translation>
            <numerusform>%n call without a known price: the cost is a lower bound</numerusform>
            <numerusform>%n calls without a known price: the cost is a lower bound</numerusform>
        </translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unusable replies: %1, failed with tokens: %2, aborted on the wire: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg TTFT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::UsageFilterBar</name>
    <message>
        <source>All agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unusable reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>aborted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A 2xx reply that could not be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An HTTP error or a cut stream that carried tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent, never answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the calls that ended so</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server records no outcome of its calls (the original AgentServer): the chart counts every call, whatever its outcome.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this agent&apos;s calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the calls of this model (the name the provider returned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::UsagePage</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage by &amp;model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage by &amp;agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread &amp;budgets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per minute from the &amp;history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 prompt (%2 cached), %3 completion</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) have no known price and are not in the cost.</source>
        <translation>
            <numerusform>%n call has no known price and is not in the cost.</numerusform>
            <numerusform>%n calls have no known price and are not in the cost.</numerusform>
        </translation>
    </message>
    <message>
        <source>Usage counters reset; the history keeps every call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save chart as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every call went to the offline demo provider, which has no price.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset the usage counters?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens, requests and costs start again from zero, here and in the API&apos;s /usage. The history keeps every call; budgets are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset counters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the history holds no LLM calls to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent and &amp;organism budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From – to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unpriced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 + unpriced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In this range: %1 tokens · %2 calls · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In this range, filtered: %1 tokens · %2 calls · %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::ViewDefaults</name>
    <message>
        <source>Columns</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>agentdesk::modelformat</name>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>killed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
