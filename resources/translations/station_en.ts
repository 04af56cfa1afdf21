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
    <name>CounterSession</name>
    <message>
        <location filename="../../station/ui/controller.py" line="159"/>
        <source>Separator sheet: a new document starts here</source>
        <translation>Separator sheet: a new document starts here</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="225"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="254"/>
        <source>Missing required documents: {0}</source>
        <translation>Missing required documents: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="258"/>
        <source>All required documents are present.</source>
        <translation>All required documents are present.</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="292"/>
        <source>&lt;b style=&apos;color:{0}&apos;&gt;Document {1}&lt;/b&gt; ({2} p.)</source>
        <translation>&lt;b style=&apos;color:{0}&apos;&gt;Document {1}&lt;/b&gt; ({2} p.)</translation>
    </message>
</context>
<context>
    <name>DossierPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="311"/>
        <source>Dossier</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="328"/>
        <source>Dossier code (F2):</source>
        <translation>Dossier code (F2):</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="330"/>
        <source>Procedure:</source>
        <translation>Procedure:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="331"/>
        <source>Applicant:</source>
        <translation>Applicant:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="332"/>
        <source>ID number:</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="333"/>
        <source>Date of birth:</source>
        <translation>Date of birth:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="334"/>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../station/ui/main_window.py" line="158"/>
        <source>Digitization Station — counter</source>
        <translation>Digitization Station — counter</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="164"/>
        <source>Virtual scanner (sample pages)</source>
        <translation>Virtual scanner (sample pages)</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="167"/>
        <source>Scanner defaults</source>
        <translation>Scanner defaults</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="236"/>
        <source>Scan</source>
        <translation>Scan</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="237"/>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="238"/>
        <source>Rescan page</source>
        <translation>Rescan page</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="239"/>
        <source>Insert pages</source>
        <translation>Insert pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="240"/>
        <source>Rotate left</source>
        <translation>Rotate left</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="241"/>
        <source>Rotate right</source>
        <translation>Rotate right</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="242"/>
        <source>Delete page</source>
        <translation>Delete page</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="243"/>
        <source>Split here</source>
        <translation>Split here</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="244"/>
        <source>Merge with next</source>
        <translation>Merge with next</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="245"/>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="246"/>
        <source>Redo</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="247"/>
        <source>Zoom in</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="248"/>
        <source>Zoom out</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="249"/>
        <source>Fit page</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="250"/>
        <source>Dossier code</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="251"/>
        <source>Finish and send</source>
        <translation>Finish and send</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="252"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="253"/>
        <source>Quality review</source>
        <translation>Quality review</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="254"/>
        <source>Main</source>
        <translation>Main</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="258"/>
        <source>Scanner:</source>
        <translation>Scanner:</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="260"/>
        <source>Profile:</source>
        <translation>Profile:</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="266"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="323"/>
        <source>Another station program is sending this outbox</source>
        <translation>Another station program is sending this outbox</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="394"/>
        <source>Scanner list unavailable: {0}</source>
        <translation>Scanner list unavailable: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="426"/>
        <source>Scanning…</source>
        <translation>Scanning…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="435"/>
        <source>Stopping after this page…</source>
        <translation>Stopping after this page…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="452"/>
        <source>Scanning… {0} pages</source>
        <translation>Scanning… {0} pages</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="463"/>
        <source>Scanner problem: {0}</source>
        <translation>Scanner problem: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="464"/>
        <source>{0} page(s) of this job were scanned and are kept.</source>
        <translation>{0} page(s) of this job were scanned and are kept.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="467"/>
        <source>Scanning stopped by a scanner problem</source>
        <translation>Scanning stopped by a scanner problem</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="469"/>
        <source>Scanned {0} page(s)</source>
        <translation>Scanned {0} page(s)</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="577"/>
        <source>Not a valid dossier code (example: 000.00.01.H22-250702-0013)</source>
        <translation>Not a valid dossier code (example: 000.00.01.H22-250702-0013)</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="586"/>
        <source>Dossier code read from the receipt: {0}</source>
        <translation>Dossier code read from the receipt: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="592"/>
        <source>Looking up the dossier…</source>
        <translation>Looking up the dossier…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="610"/>
        <source>Dossier found, open for documents</source>
        <translation>Dossier found, open for documents</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="612"/>
        <source>Dossier found, but its status is &quot;{0}&quot;: check before sending</source>
        <translation>Dossier found, but its status is &quot;{0}&quot;: check before sending</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="626"/>
        <source>This code is not on the backend yet; check it. Document types can be typed freely.</source>
        <translation>This code is not on the backend yet; check it. Document types can be typed freely.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="628"/>
        <source>Backend unreachable: working offline, document types can be typed freely.</source>
        <translation>Backend unreachable: working offline, document types can be typed freely.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="643"/>
        <source>Check failed on the card: {0}</source>
        <translation>Check failed on the card: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="647"/>
        <source>The two sides of the card carry different ID numbers</source>
        <translation>The two sides of the card carry different ID numbers</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="651"/>
        <source>The ID number differs from the dossier&apos;s applicant</source>
        <translation>The ID number differs from the dossier&apos;s applicant</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="653"/>
        <source>The name differs from the dossier&apos;s applicant</source>
        <translation>The name differs from the dossier&apos;s applicant</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="660"/>
        <source>Wait until scanning ends, then finish.</source>
        <translation>Wait until scanning ends, then finish.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="665"/>
        <source>The dossier code is missing: scan the receipt or type the code (F2).</source>
        <translation>The dossier code is missing: scan the receipt or type the code (F2).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="669"/>
        <source>No page to send yet: scan the documents first (F5).</source>
        <translation>No page to send yet: scan the documents first (F5).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="674"/>
        <source>Finishing as soon as the last pages are checked…</source>
        <translation>Finishing as soon as the last pages are checked…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="680"/>
        <source>Missing documents</source>
        <translation>Missing documents</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="681"/>
        <source>These required documents are missing:
{0}

Send the dossier anyway?</source>
        <translation>These required documents are missing:
{0}

Send the dossier anyway?</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="693"/>
        <source>Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.</source>
        <translation>Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="713"/>
        <source>Dossier {0}: {1} document(s) queued for sending.</source>
        <translation>Dossier {0}: {1} document(s) queued for sending.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="725"/>
        <source>Could not build the files of a dossier: {0}
Its pages are kept and it will be retried at the next start.</source>
        <translation>Could not build the files of a dossier: {0}
Its pages are kept and it will be retried at the next start.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="743"/>
        <source>Unfinished dossier</source>
        <translation>Unfinished dossier</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="744"/>
        <source>A dossier with {0} scanned page(s) was not finished last time. Restore it?</source>
        <translation>A dossier with {0} scanned page(s) was not finished last time. Restore it?</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="770"/>
        <source>Restored {0} page(s)</source>
        <translation>Restored {0} page(s)</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="799"/>
        <source>Queued {0} · sending {1} · sent {2} · failed {3}</source>
        <translation>Queued {0} · sending {1} · sent {2} · failed {3}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="810"/>
        <source>Backend offline: {0} waiting</source>
        <translation>Backend offline: {0} waiting</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="812"/>
        <source>Sending: {0} waiting</source>
        <translation>Sending: {0} waiting</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="814"/>
        <source>Uploads up to date</source>
        <translation>Uploads up to date</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="852"/>
        <source>Rescan requests: {0}</source>
        <translation>Rescan requests: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="877"/>
        <source>The station journal is not available on this PC.</source>
        <translation>The station journal is not available on this PC.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="898"/>
        <source>Settings saved to {0}; some take effect after a restart.</source>
        <translation>Settings saved to {0}; some take effect after a restart.</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="201"/>
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
        <location filename="../../station/ui/widgets.py" line="88"/>
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
    <name>RescanRequestsDialog</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="413"/>
        <source>Rescan requests from the supervisor</source>
        <translation>Rescan requests from the supervisor</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="417"/>
        <source>Dossier {0} · document {1} · page {2}
Reason: {3}{4}</source>
        <translation>Dossier {0} · document {1} · page {2}
Reason: {3}{4}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="425"/>
        <source>Rescanned — mark done</source>
        <translation>Rescanned — mark done</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="431"/>
        <source>Scan these pages again, then mark each one done:</source>
        <translation>Scan these pages again, then mark each one done:</translation>
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
        <location filename="../../station/ui/widgets.py" line="374"/>
        <source>Uploads</source>
        <translation>Uploads</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="390"/>
        <source>Retry selected</source>
        <translation>Retry selected</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="391"/>
        <source>Retry all failed</source>
        <translation>Retry all failed</translation>
    </message>
</context>
</TS>
