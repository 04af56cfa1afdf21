<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Badges</name>
    <message>
        <location filename="../../station/ui/models.py" line="48"/>
        <source>Blurred</source>
        <translation>Blurred</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="49"/>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="50"/>
        <source>Faint</source>
        <translation>Faint</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="51"/>
        <source>Low contrast</source>
        <translation>Low contrast</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="52"/>
        <source>Skewed</source>
        <translation>Skewed</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="53"/>
        <source>Cut off</source>
        <translation>Cut off</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="54"/>
        <source>Low dpi</source>
        <translation>Low dpi</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="55"/>
        <source>Blank</source>
        <translation>Blank</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <location filename="../../station/ui/review/charts.py" line="55"/>
        <source>No data yet</source>
        <translation>No data yet</translation>
    </message>
</context>
<context>
    <name>CounterSession</name>
    <message>
        <location filename="../../station/ui/controller.py" line="125"/>
        <source>Separator sheet: a new document starts here</source>
        <translation>Separator sheet: a new document starts here</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="249"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="278"/>
        <source>Missing required documents: {0}</source>
        <translation>Missing required documents: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="282"/>
        <source>All required documents are present.</source>
        <translation>All required documents are present.</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="316"/>
        <source>&lt;b style=&apos;color:{0}&apos;&gt;Document {1}&lt;/b&gt; ({2} p.)</source>
        <translation>&lt;b style=&apos;color:{0}&apos;&gt;Document {1}&lt;/b&gt; ({2} p.)</translation>
    </message>
</context>
<context>
    <name>DossierPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="335"/>
        <source>Dossier</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="352"/>
        <source>Dossier code (F2):</source>
        <translation>Dossier code (F2):</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="354"/>
        <source>Procedure:</source>
        <translation>Procedure:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="355"/>
        <source>Applicant:</source>
        <translation>Applicant:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="356"/>
        <source>ID number:</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="357"/>
        <source>Date of birth:</source>
        <translation>Date of birth:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="358"/>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../station/ui/window_layout.py" line="60"/>
        <source>Digitization Station — counter</source>
        <translation>Digitization Station — counter</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="66"/>
        <source>Virtual scanner (sample pages)</source>
        <translation>Virtual scanner (sample pages)</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="70"/>
        <source>Scanner defaults</source>
        <translation>Scanner defaults</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="137"/>
        <source>Scan</source>
        <translation>Scan</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="138"/>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="139"/>
        <source>Rescan page</source>
        <translation>Rescan page</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="140"/>
        <source>Insert pages</source>
        <translation>Insert pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="141"/>
        <source>Rotate left</source>
        <translation>Rotate left</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="142"/>
        <source>Rotate right</source>
        <translation>Rotate right</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="144"/>
        <source>Delete page</source>
        <translation>Delete page</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="145"/>
        <source>Split here</source>
        <translation>Split here</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="146"/>
        <source>Merge with next</source>
        <translation>Merge with next</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="147"/>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="148"/>
        <source>Redo</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="149"/>
        <source>Zoom in</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="150"/>
        <source>Zoom out</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="151"/>
        <source>Fit page</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="152"/>
        <source>Dossier code</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="153"/>
        <source>Finish and send</source>
        <translation>Finish and send</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="155"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="156"/>
        <source>Quality review</source>
        <translation>Quality review</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="157"/>
        <source>Main</source>
        <translation>Main</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="161"/>
        <source>Scanner:</source>
        <translation>Scanner:</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="163"/>
        <source>Profile:</source>
        <translation>Profile:</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="169"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="59"/>
        <source>Another station program is sending this outbox</source>
        <translation>Another station program is sending this outbox</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="235"/>
        <source>Scanner list unavailable: {0}</source>
        <translation>Scanner list unavailable: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="48"/>
        <source>Scanning…</source>
        <translation>Scanning…</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="75"/>
        <source>Stopping after this page…</source>
        <translation>Stopping after this page…</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="94"/>
        <source>Scanning… {0} pages</source>
        <translation>Scanning… {0} pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="109"/>
        <source>Scanner problem: {0}</source>
        <translation>Scanner problem: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="110"/>
        <source>{0} page(s) of this job were scanned and are kept.</source>
        <translation>{0} page(s) of this job were scanned and are kept.</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="112"/>
        <source>Scanning stopped by a scanner problem</source>
        <translation>Scanning stopped by a scanner problem</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="114"/>
        <source>Scanned {0} page(s)</source>
        <translation>Scanned {0} page(s)</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="43"/>
        <source>Not a valid dossier code (example: 000.00.01.H22-250702-0013)</source>
        <translation>Not a valid dossier code (example: 000.00.01.H22-250702-0013)</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="53"/>
        <source>Dossier code read from the receipt: {0}</source>
        <translation>Dossier code read from the receipt: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="60"/>
        <source>Looking up the dossier…</source>
        <translation>Looking up the dossier…</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="71"/>
        <source>Dossier found, open for documents</source>
        <translation>Dossier found, open for documents</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="74"/>
        <source>Dossier found, but its status is &quot;{0}&quot;: check before sending</source>
        <translation>Dossier found, but its status is &quot;{0}&quot;: check before sending</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="84"/>
        <source>This code is not on the backend yet; check it. Document types can be typed freely.</source>
        <translation>This code is not on the backend yet; check it. Document types can be typed freely.</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="88"/>
        <source>Backend unreachable: working offline, document types can be typed freely.</source>
        <translation>Backend unreachable: working offline, document types can be typed freely.</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="108"/>
        <source>Check failed on the card: {0}</source>
        <translation>Check failed on the card: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="110"/>
        <source>The two sides of the card carry different ID numbers</source>
        <translation>The two sides of the card carry different ID numbers</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="112"/>
        <source>The ID number differs from the dossier&apos;s applicant</source>
        <translation>The ID number differs from the dossier&apos;s applicant</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="114"/>
        <source>The name differs from the dossier&apos;s applicant</source>
        <translation>The name differs from the dossier&apos;s applicant</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="317"/>
        <source>Wait until scanning ends, then finish.</source>
        <translation>Wait until scanning ends, then finish.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="321"/>
        <source>The dossier code is missing: scan the receipt or type the code (F2).</source>
        <translation>The dossier code is missing: scan the receipt or type the code (F2).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="325"/>
        <source>No page to send yet: scan the documents first (F5).</source>
        <translation>No page to send yet: scan the documents first (F5).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="330"/>
        <source>Finishing as soon as the last pages are checked…</source>
        <translation>Finishing as soon as the last pages are checked…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="334"/>
        <source>Missing documents</source>
        <translation>Missing documents</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="335"/>
        <source>These required documents are missing:
{0}

Send the dossier anyway?</source>
        <translation>These required documents are missing:
{0}

Send the dossier anyway?</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="345"/>
        <source>Could not save the dossier for sending: {0}
Nothing was sent and no page is lost: fix the problem, then press Finish again.</source>
        <translation>Could not save the dossier for sending: {0}
Nothing was sent and no page is lost: fix the problem, then press Finish again.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="355"/>
        <source>Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.</source>
        <translation>Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="366"/>
        <source>Dossier {0}: {1} document(s) queued for sending.</source>
        <translation>Dossier {0}: {1} document(s) queued for sending.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="376"/>
        <source>Could not build the files of a dossier: {0}
Its pages are kept and it will be retried at the next start.</source>
        <translation>Could not build the files of a dossier: {0}
Its pages are kept and it will be retried at the next start.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="392"/>
        <source>Unfinished dossier</source>
        <translation>Unfinished dossier</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="393"/>
        <source>A dossier with {0} scanned page(s) was not finished last time. Restore it?</source>
        <translation>A dossier with {0} scanned page(s) was not finished last time. Restore it?</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="67"/>
        <source>Restored {0} page(s)</source>
        <translation>Restored {0} page(s)</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="38"/>
        <source>Queued {0} · sending {1} · sent {2} · failed {3}</source>
        <translation>Queued {0} · sending {1} · sent {2} · failed {3}</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="50"/>
        <source>Backend offline: {0} waiting</source>
        <translation>Backend offline: {0} waiting</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="52"/>
        <source>Sending: {0} waiting</source>
        <translation>Sending: {0} waiting</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="54"/>
        <source>Uploads up to date</source>
        <translation>Uploads up to date</translation>
    </message>
    <message>
        <location filename="../../station/ui/journal_view.py" line="32"/>
        <source>Rescan requests: {0}</source>
        <translation>Rescan requests: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="432"/>
        <source>The station journal is not available on this PC.</source>
        <translation>The station journal is not available on this PC.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="441"/>
        <source>Settings saved to {0}; some take effect after a restart.</source>
        <translation>Settings saved to {0}; some take effect after a restart.</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="225"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <location filename="../../station/ui/models.py" line="264"/>
        <source>Dossier</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="265"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="266"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="267"/>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="268"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="300"/>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="301"/>
        <source>Sending</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="302"/>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="303"/>
        <source>Failed, will retry</source>
        <translation>Failed, will retry</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="304"/>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
</context>
<context>
    <name>PageDelegate</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="89"/>
        <source>checking…</source>
        <translation>checking…</translation>
    </message>
</context>
<context>
    <name>PageListModel</name>
    <message>
        <location filename="../../station/ui/models.py" line="113"/>
        <source>Doc {0} · p. {1}</source>
        <translation>Doc {0} · p. {1}</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="118"/>
        <source>No quality problem found</source>
        <translation>No quality problem found</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <location filename="../../station/ui/review/window.py" line="83"/>
        <source>Choose a page in the queue</source>
        <translation>Choose a page in the queue</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="85"/>
        <source>The page holds a citizen ID card: its preview is blurred to protect personal data</source>
        <translation>The page holds a citizen ID card: its preview is blurred to protect personal data</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="87"/>
        <source>No preview of this page</source>
        <translation>No preview of this page</translation>
    </message>
</context>
<context>
    <name>RescanRequestsDialog</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="437"/>
        <source>Rescan requests from the supervisor</source>
        <translation>Rescan requests from the supervisor</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="441"/>
        <source>Dossier {0} · document {1} · page {2}
Reason: {3}{4}</source>
        <translation>Dossier {0} · document {1} · page {2}
Reason: {3}{4}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="449"/>
        <source>Rescanned — mark done</source>
        <translation>Rescanned — mark done</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="455"/>
        <source>Scan these pages again, then mark each one done:</source>
        <translation>Scan these pages again, then mark each one done:</translation>
    </message>
</context>
<context>
    <name>ReviewLabels</name>
    <message>
        <location filename="../../station/ui/review/labels.py" line="15"/>
        <source>blurred</source>
        <translation>blurred</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="16"/>
        <source>low resolution</source>
        <translation>low resolution</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="17"/>
        <source>too dark</source>
        <translation>too dark</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="18"/>
        <source>too light</source>
        <translation>too light</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="19"/>
        <source>low contrast</source>
        <translation>low contrast</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="20"/>
        <source>skewed</source>
        <translation>skewed</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="21"/>
        <source>content cut off at the edge</source>
        <translation>content cut off at the edge</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="22"/>
        <source>page orientation unclear</source>
        <translation>page orientation unclear</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="23"/>
        <source>blank page</source>
        <translation>blank page</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="26"/>
        <source>awaiting review</source>
        <translation>awaiting review</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="27"/>
        <source>approved</source>
        <translation>approved</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="28"/>
        <source>rejected</source>
        <translation>rejected</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="31"/>
        <source>flagged</source>
        <translation>flagged</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="32"/>
        <source>random sample</source>
        <translation>random sample</translation>
    </message>
</context>
<context>
    <name>ReviewModels</name>
    <message>
        <location filename="../../station/ui/review/models.py" line="44"/>
        <location filename="../../station/ui/review/models.py" line="136"/>
        <source>Queued as</source>
        <translation>Queued as</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="44"/>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="45"/>
        <location filename="../../station/ui/review/models.py" line="123"/>
        <source>Flags</source>
        <translation>Flags</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="45"/>
        <location filename="../../station/ui/review/models.py" line="138"/>
        <location filename="../../station/ui/review/models.py" line="202"/>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="46"/>
        <location filename="../../station/ui/review/models.py" line="139"/>
        <location filename="../../station/ui/review/models.py" line="202"/>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="46"/>
        <location filename="../../station/ui/review/models.py" line="140"/>
        <source>Scanned at</source>
        <translation>Scanned at</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="47"/>
        <location filename="../../station/ui/review/models.py" line="141"/>
        <source>Dossier</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="47"/>
        <location filename="../../station/ui/review/models.py" line="143"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="111"/>
        <source>{code} · {source} · page {n}</source>
        <translation>{code} · {source} · page {n}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="117"/>
        <source>Sharpness</source>
        <translation>Sharpness</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="118"/>
        <source>Contrast</source>
        <translation>Contrast</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="119"/>
        <source>Brightness</source>
        <translation>Brightness</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="120"/>
        <source>Skew (°)</source>
        <translation>Skew (°)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="121"/>
        <source>Resolution (dpi)</source>
        <translation>Resolution (dpi)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="128"/>
        <location filename="../../station/ui/review/models.py" line="135"/>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="130"/>
        <source>read: {numbers}</source>
        <translation>read: {numbers}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="132"/>
        <source>card present (number not read)</source>
        <translation>card present (number not read)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="134"/>
        <source>Quality score</source>
        <translation>Quality score</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="137"/>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="142"/>
        <source>Procedure</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="144"/>
        <source>Page</source>
        <translation>Page</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="145"/>
        <source>Scan profile</source>
        <translation>Scan profile</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="146"/>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="147"/>
        <source>Resolution</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="148"/>
        <source>Rotated</source>
        <translation>Rotated</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="149"/>
        <source>Skew</source>
        <translation>Skew</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="150"/>
        <source>Barcodes</source>
        <translation>Barcodes</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="151"/>
        <source>Characters recognised (OCR)</source>
        <translation>Characters recognised (OCR)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="152"/>
        <source>OCR confidence</source>
        <translation>OCR confidence</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="154"/>
        <source>Citizen ID card</source>
        <translation>Citizen ID card</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="159"/>
        <source>Rejection reason</source>
        <translation>Rejection reason</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="183"/>
        <source>Measure</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="183"/>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="203"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="203"/>
        <source>Pages/hour</source>
        <translation>Pages/hour</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="204"/>
        <source>Dossiers</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="204"/>
        <source>Dossiers/day</source>
        <translation>Dossiers/day</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="205"/>
        <source>Reviewed</source>
        <translation>Reviewed</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="205"/>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="206"/>
        <source>Rejection rate</source>
        <translation>Rejection rate</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="206"/>
        <source>Mean score</source>
        <translation>Mean score</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="207"/>
        <source>Scan→confirmation (min)</source>
        <translation>Scan→confirmation (min)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="235"/>
        <source>(whole station)</source>
        <translation>(whole station)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="235"/>
        <source>(every station)</source>
        <translation>(every station)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="238"/>
        <source>All</source>
        <translation>All</translation>
    </message>
</context>
<context>
    <name>ReviewWidget</name>
    <message>
        <location filename="../../station/ui/review/window.py" line="164"/>
        <source>Error: {e}</source>
        <translation>Error: {e}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="190"/>
        <source>Review pages</source>
        <translation>Review pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="191"/>
        <source>Statistics</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="201"/>
        <source>Server (whole center): {url}</source>
        <translation>Server (whole center): {url}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="203"/>
        <source>Journal on this PC: {path}</source>
        <translation>Journal on this PC: {path}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="205"/>
        <source>(reporting to {url})</source>
        <translation>(reporting to {url})</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="210"/>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="216"/>
        <source>By date</source>
        <translation>By date</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="230"/>
        <source>Share of unflagged pages drawn at random for review (the same seed draws the same pages)</source>
        <translation>Share of unflagged pages drawn at random for review (the same seed draws the same pages)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="232"/>
        <source>Reload (F5)</source>
        <translation>Reload (F5)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="235"/>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="235"/>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="236"/>
        <source>Flag</source>
        <translation>Flag</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="236"/>
        <source>Procedure</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="244"/>
        <source>to</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="246"/>
        <source>Random sample</source>
        <translation>Random sample</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="283"/>
        <source>Decision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="291"/>
        <source>Rejection reason</source>
        <translation>Rejection reason</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="294"/>
        <source>Note for the counter (no personal data)</source>
        <translation>Note for the counter (no personal data)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="297"/>
        <source>Approve (A)</source>
        <translation>Approve (A)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="300"/>
        <source>Reject, ask for a rescan (R)</source>
        <translation>Reject, ask for a rescan (R)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="325"/>
        <source>Pages per hour by operator</source>
        <translation>Pages per hour by operator</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="326"/>
        <source>Rejected pages by reason</source>
        <translation>Rejected pages by reason</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="327"/>
        <source>Quality scores</source>
        <translation>Quality scores</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="328"/>
        <source>From scan to server confirmation (minutes)</source>
        <translation>From scan to server confirmation (minutes)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="341"/>
        <source>Export CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="342"/>
        <source>Export PDF report…</source>
        <translation>Export PDF report…</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="382"/>
        <source>All stations</source>
        <translation>All stations</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="383"/>
        <source>All operators</source>
        <translation>All operators</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="384"/>
        <source>All procedures</source>
        <translation>All procedures</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="385"/>
        <source>All pages</source>
        <translation>All pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="386"/>
        <source>Any flag</source>
        <translation>Any flag</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="431"/>
        <source>Queue: {n} page(s) ({f} flagged, {s} random sample)</source>
        <translation>Queue: {n} page(s) ({f} flagged, {s} random sample)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="473"/>
        <source>Choose a rejection reason (keys 1–{n}), then press Reject.</source>
        <translation>Choose a rejection reason (keys 1–{n}), then press Reject.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="496"/>
        <source>Page {p} of dossier {d} approved.</source>
        <translation>Page {p} of dossier {d} approved.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="498"/>
        <source>Page {p} of dossier {d} rejected: a rescan request went to {s}.</source>
        <translation>Page {p} of dossier {d} rejected: a rescan request went to {s}.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="501"/>
        <source>Saved on this PC; not yet sent to the server, it will be sent later.</source>
        <translation>Saved on this PC; not yet sent to the server, it will be sent later.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="528"/>
        <source>{pages} pages · {dossiers} dossiers · {ph} pages/hour · {flagged} flagged pages · {rev} reviewed, {rej} rejected ({rate}%) · mean score {q} · scan → confirmation: median {m} min</source>
        <translation>{pages} pages · {dossiers} dossiers · {ph} pages/hour · {flagged} flagged pages · {rev} reviewed, {rej} rejected ({rate}%) · mean score {q} · scan → confirmation: median {m} min</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="563"/>
        <source>The statistics are still loading; try again in a moment.</source>
        <translation>The statistics are still loading; try again in a moment.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="570"/>
        <source>Export CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="572"/>
        <location filename="../../station/ui/review/window.py" line="579"/>
        <source>Saved {p}</source>
        <translation>Saved {p}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="577"/>
        <source>Export PDF report</source>
        <translation>Export PDF report</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../../station/ui/review/window.py" line="586"/>
        <source>Digitization Station — scan quality review</source>
        <translation>Digitization Station — scan quality review</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="590"/>
        <source>Reviewer: {r}</source>
        <translation>Reviewer: {r}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="51"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="61"/>
        <source>empty: the virtual scanner with the sample pages</source>
        <translation>empty: the virtual scanner with the sample pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="68"/>
        <source>Scanner device:</source>
        <translation>Scanner device:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="69"/>
        <source>Paper source:</source>
        <translation>Paper source:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="70"/>
        <source>Resolution (dpi):</source>
        <translation>Resolution (dpi):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="71"/>
        <source>Colour mode:</source>
        <translation>Colour mode:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="72"/>
        <source>Page size:</source>
        <translation>Page size:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="73"/>
        <source>Scanner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>dpi</source>
        <translation>dpi</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="79"/>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="79"/>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="84"/>
        <source>Add profile</source>
        <translation>Add profile</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="85"/>
        <source>New profile</source>
        <translation>New profile</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="86"/>
        <source>Remove profile</source>
        <translation>Remove profile</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="93"/>
        <source>Profiles</source>
        <translation>Profiles</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="98"/>
        <source>empty: the reference backend started on this computer</source>
        <translation>empty: the reference backend started on this computer</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="101"/>
        <source>unchanged (stored in the system keyring)</source>
        <translation>unchanged (stored in the system keyring)</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="107"/>
        <source>Backend URL:</source>
        <translation>Backend URL:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="108"/>
        <source>API token:</source>
        <translation>API token:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="109"/>
        <source>Station id:</source>
        <translation>Station id:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="110"/>
        <source>Operator id:</source>
        <translation>Operator id:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="111"/>
        <source>Keep sent files (days):</source>
        <translation>Keep sent files (days):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="112"/>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="129"/>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="130"/>
        <source>Text size (pt):</source>
        <translation>Text size (pt):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="131"/>
        <source>Lowest acceptable dpi:</source>
        <translation>Lowest acceptable dpi:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="132"/>
        <source>Largest acceptable skew (°):</source>
        <translation>Largest acceptable skew (°):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="133"/>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="192"/>
        <source>Not saved: {0}</source>
        <translation>Not saved: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="199"/>
        <source>The token could not be stored in the keyring: {0}</source>
        <translation>The token could not be stored in the keyring: {0}</translation>
    </message>
</context>
<context>
    <name>UploadPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="398"/>
        <source>Uploads</source>
        <translation>Uploads</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="414"/>
        <source>Retry selected</source>
        <translation>Retry selected</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="415"/>
        <source>Retry all failed</source>
        <translation>Retry all failed</translation>
    </message>
</context>
</TS>
