<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Badges</name>
    <message>
        <location filename="../../station/ui/models.py" line="48"/>
        <source>Blurred</source>
        <translation>Mờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="49"/>
        <source>Dark</source>
        <translation>Tối</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="50"/>
        <source>Faint</source>
        <translation>Nhạt</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="51"/>
        <source>Low contrast</source>
        <translation>Tương phản thấp</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="52"/>
        <source>Skewed</source>
        <translation>Nghiêng</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="53"/>
        <source>Cut off</source>
        <translation>Mất mép</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="54"/>
        <source>Low dpi</source>
        <translation>DPI thấp</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="55"/>
        <source>Blank</source>
        <translation>Trang trắng</translation>
    </message>
</context>
<context>
    <name>CounterSession</name>
    <message>
        <location filename="../../station/ui/controller.py" line="165"/>
        <source>Separator sheet: a new document starts here</source>
        <translation>Tờ phân tách: bắt đầu tài liệu mới từ đây</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="245"/>
        <source>Documents</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="274"/>
        <source>Missing required documents: {0}</source>
        <translation>Còn thiếu giấy tờ bắt buộc: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="278"/>
        <source>All required documents are present.</source>
        <translation>Đã đủ các giấy tờ bắt buộc.</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="312"/>
        <source>&lt;b style=&apos;color:{0}&apos;&gt;Document {1}&lt;/b&gt; ({2} p.)</source>
        <translation>&lt;b style=&apos;color:{0}&apos;&gt;Tài liệu {1}&lt;/b&gt; ({2} tr.)</translation>
    </message>
</context>
<context>
    <name>DossierPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="331"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="348"/>
        <source>Dossier code (F2):</source>
        <translation>Mã hồ sơ (F2):</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="350"/>
        <source>Procedure:</source>
        <translation>Thủ tục:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="351"/>
        <source>Applicant:</source>
        <translation>Người nộp:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="352"/>
        <source>ID number:</source>
        <translation>Số định danh:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="353"/>
        <source>Date of birth:</source>
        <translation>Ngày sinh:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="354"/>
        <source>Address:</source>
        <translation>Nơi thường trú:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../station/ui/main_window.py" line="171"/>
        <source>Digitization Station — counter</source>
        <translation>Trạm số hóa — quầy tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="177"/>
        <source>Virtual scanner (sample pages)</source>
        <translation>Máy quét ảo (trang mẫu)</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="180"/>
        <source>Scanner defaults</source>
        <translation>Mặc định của máy quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="249"/>
        <source>Scan</source>
        <translation>Quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="250"/>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="251"/>
        <source>Rescan page</source>
        <translation>Quét lại trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="252"/>
        <source>Insert pages</source>
        <translation>Chèn trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="253"/>
        <source>Rotate left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="254"/>
        <source>Rotate right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="255"/>
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="256"/>
        <source>Split here</source>
        <translation>Tách tại đây</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="257"/>
        <source>Merge with next</source>
        <translation>Gộp với tài liệu sau</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="258"/>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="259"/>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="260"/>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="261"/>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="262"/>
        <source>Fit page</source>
        <translation>Vừa trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="263"/>
        <source>Dossier code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="264"/>
        <source>Finish and send</source>
        <translation>Hoàn tất và gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="265"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="266"/>
        <source>Quality review</source>
        <translation>Duyệt chất lượng</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="267"/>
        <source>Main</source>
        <translation>Chính</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="271"/>
        <source>Scanner:</source>
        <translation>Máy quét:</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="273"/>
        <source>Profile:</source>
        <translation>Cấu hình quét:</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="279"/>
        <source>Pages</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="338"/>
        <source>Another station program is sending this outbox</source>
        <translation>Một chương trình khác của trạm đang gửi hàng đợi này</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="419"/>
        <source>Scanner list unavailable: {0}</source>
        <translation>Không lấy được danh sách máy quét: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="452"/>
        <source>Scanning…</source>
        <translation>Đang quét…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="459"/>
        <source>Stopping after this page…</source>
        <translation>Sẽ dừng sau trang này…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="477"/>
        <source>Scanning… {0} pages</source>
        <translation>Đang quét… {0} trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="496"/>
        <source>Scanner problem: {0}</source>
        <translation>Máy quét gặp sự cố: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="497"/>
        <source>{0} page(s) of this job were scanned and are kept.</source>
        <translation>Đã quét được {0} trang trong lượt này và vẫn được giữ.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="500"/>
        <source>Scanning stopped by a scanner problem</source>
        <translation>Việc quét dừng do máy quét gặp sự cố</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="502"/>
        <source>Scanned {0} page(s)</source>
        <translation>Đã quét {0} trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="643"/>
        <source>Not a valid dossier code (example: 000.00.01.H22-250702-0013)</source>
        <translation>Mã hồ sơ không hợp lệ (ví dụ: 000.00.01.H22-250702-0013)</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="652"/>
        <source>Dossier code read from the receipt: {0}</source>
        <translation>Đã đọc mã hồ sơ từ giấy tiếp nhận: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="658"/>
        <source>Looking up the dossier…</source>
        <translation>Đang tra cứu hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="676"/>
        <source>Dossier found, open for documents</source>
        <translation>Đã tìm thấy hồ sơ, đang nhận tài liệu</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="678"/>
        <source>Dossier found, but its status is &quot;{0}&quot;: check before sending</source>
        <translation>Đã tìm thấy hồ sơ nhưng trạng thái là &quot;{0}&quot;: kiểm tra trước khi gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="692"/>
        <source>This code is not on the backend yet; check it. Document types can be typed freely.</source>
        <translation>Hệ thống chưa có hồ sơ mang mã này; hãy kiểm tra lại mã. Có thể gõ tự do loại tài liệu.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="694"/>
        <source>Backend unreachable: working offline, document types can be typed freely.</source>
        <translation>Không kết nối được hệ thống: đang làm việc ngoại tuyến, có thể gõ tự do loại tài liệu.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="709"/>
        <source>Check failed on the card: {0}</source>
        <translation>Kiểm tra trên thẻ không khớp: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="713"/>
        <source>The two sides of the card carry different ID numbers</source>
        <translation>Hai mặt thẻ có số định danh khác nhau</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="717"/>
        <source>The ID number differs from the dossier&apos;s applicant</source>
        <translation>Số định danh khác với người nộp hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="719"/>
        <source>The name differs from the dossier&apos;s applicant</source>
        <translation>Họ tên khác với người nộp hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="726"/>
        <source>Wait until scanning ends, then finish.</source>
        <translation>Chờ quét xong rồi hãy hoàn tất.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="731"/>
        <source>The dossier code is missing: scan the receipt or type the code (F2).</source>
        <translation>Chưa có mã hồ sơ: quét giấy tiếp nhận hoặc gõ mã (F2).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="735"/>
        <source>No page to send yet: scan the documents first (F5).</source>
        <translation>Chưa có trang nào để gửi: hãy quét tài liệu trước (F5).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="740"/>
        <source>Finishing as soon as the last pages are checked…</source>
        <translation>Sẽ hoàn tất ngay khi kiểm tra xong các trang cuối…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="746"/>
        <source>Missing documents</source>
        <translation>Thiếu giấy tờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="747"/>
        <source>These required documents are missing:
{0}

Send the dossier anyway?</source>
        <translation>Hồ sơ còn thiếu các giấy tờ bắt buộc sau:
{0}

Vẫn gửi hồ sơ?</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="756"/>
        <source>Could not save the dossier for sending: {0}
Nothing was sent and no page is lost: fix the problem, then press Finish again.</source>
        <translation>Không lưu được hồ sơ để gửi: {0}
Chưa gửi gì và không mất trang nào: khắc phục sự cố rồi bấm Hoàn tất lại.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="767"/>
        <source>Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.</source>
        <translation>Hồ sơ {0}: đang tạo tệp PDF/A và đưa vào hàng đợi gửi. Sẵn sàng tiếp nhận công dân tiếp theo.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="787"/>
        <source>Dossier {0}: {1} document(s) queued for sending.</source>
        <translation>Hồ sơ {0}: đã đưa {1} tài liệu vào hàng đợi gửi.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="799"/>
        <source>Could not build the files of a dossier: {0}
Its pages are kept and it will be retried at the next start.</source>
        <translation>Không tạo được tệp của một hồ sơ: {0}
Các trang vẫn được giữ và sẽ được làm lại khi khởi động lần sau.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="817"/>
        <source>Unfinished dossier</source>
        <translation>Hồ sơ chưa hoàn tất</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="818"/>
        <source>A dossier with {0} scanned page(s) was not finished last time. Restore it?</source>
        <translation>Lần trước có một hồ sơ với {0} trang đã quét chưa hoàn tất. Khôi phục hồ sơ này?</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="844"/>
        <source>Restored {0} page(s)</source>
        <translation>Đã khôi phục {0} trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="873"/>
        <source>Queued {0} · sending {1} · sent {2} · failed {3}</source>
        <translation>Chờ gửi {0} · đang gửi {1} · đã gửi {2} · lỗi {3}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="884"/>
        <source>Backend offline: {0} waiting</source>
        <translation>Mất kết nối hệ thống: {0} tệp đang chờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="886"/>
        <source>Sending: {0} waiting</source>
        <translation>Đang gửi: {0} tệp đang chờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="888"/>
        <source>Uploads up to date</source>
        <translation>Đã gửi hết</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="926"/>
        <source>Rescan requests: {0}</source>
        <translation>Yêu cầu quét lại: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="951"/>
        <source>The station journal is not available on this PC.</source>
        <translation>Nhật ký của trạm không dùng được trên máy này.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="972"/>
        <source>Settings saved to {0}; some take effect after a restart.</source>
        <translation>Đã lưu cài đặt vào {0}; một số thay đổi có hiệu lực sau khi khởi động lại.</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="221"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <location filename="../../station/ui/models.py" line="264"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="265"/>
        <source>Document</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="266"/>
        <source>Pages</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="267"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="268"/>
        <source>Problem</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="300"/>
        <source>Queued</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="301"/>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="302"/>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="303"/>
        <source>Failed, will retry</source>
        <translation>Lỗi, sẽ thử lại</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="304"/>
        <source>Failed</source>
        <translation>Lỗi</translation>
    </message>
</context>
<context>
    <name>PageDelegate</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="88"/>
        <source>checking…</source>
        <translation>đang kiểm tra…</translation>
    </message>
</context>
<context>
    <name>PageListModel</name>
    <message>
        <location filename="../../station/ui/models.py" line="113"/>
        <source>Doc {0} · p. {1}</source>
        <translation>TL {0} · tr. {1}</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="118"/>
        <source>No quality problem found</source>
        <translation>Không phát hiện lỗi chất lượng</translation>
    </message>
</context>
<context>
    <name>RescanRequestsDialog</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="433"/>
        <source>Rescan requests from the supervisor</source>
        <translation>Yêu cầu quét lại từ giám sát viên</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="437"/>
        <source>Dossier {0} · document {1} · page {2}
Reason: {3}{4}</source>
        <translation>Hồ sơ {0} · tài liệu {1} · trang {2}
Lý do: {3}{4}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="445"/>
        <source>Rescanned — mark done</source>
        <translation>Đã quét lại — đánh dấu xong</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="451"/>
        <source>Scan these pages again, then mark each one done:</source>
        <translation>Quét lại các trang này, rồi đánh dấu từng yêu cầu là đã xong:</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="51"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="61"/>
        <source>empty: the virtual scanner with the sample pages</source>
        <translation>để trống: máy quét ảo với các trang mẫu</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="68"/>
        <source>Scanner device:</source>
        <translation>Thiết bị quét:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="69"/>
        <source>Paper source:</source>
        <translation>Nguồn giấy:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="70"/>
        <source>Resolution (dpi):</source>
        <translation>Độ phân giải (dpi):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="71"/>
        <source>Colour mode:</source>
        <translation>Chế độ màu:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="72"/>
        <source>Page size:</source>
        <translation>Khổ giấy:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="73"/>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>dpi</source>
        <translation>dpi</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="79"/>
        <source>Mode</source>
        <translation>Chế độ</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="79"/>
        <source>Size</source>
        <translation>Khổ</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="84"/>
        <source>Add profile</source>
        <translation>Thêm cấu hình</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="85"/>
        <source>New profile</source>
        <translation>Cấu hình mới</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="86"/>
        <source>Remove profile</source>
        <translation>Xóa cấu hình</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="93"/>
        <source>Profiles</source>
        <translation>Cấu hình quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="98"/>
        <source>empty: the reference backend started on this computer</source>
        <translation>để trống: hệ thống mẫu chạy trên máy này</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="101"/>
        <source>unchanged (stored in the system keyring)</source>
        <translation>không đổi (lưu trong kho khóa của hệ điều hành)</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="107"/>
        <source>Backend URL:</source>
        <translation>Địa chỉ hệ thống:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="108"/>
        <source>API token:</source>
        <translation>Mã truy cập API:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="109"/>
        <source>Station id:</source>
        <translation>Mã trạm:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="110"/>
        <source>Operator id:</source>
        <translation>Mã cán bộ:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="111"/>
        <source>Keep sent files (days):</source>
        <translation>Giữ tệp đã gửi (ngày):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="112"/>
        <source>Backend</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="129"/>
        <source>Language:</source>
        <translation>Ngôn ngữ:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="130"/>
        <source>Text size (pt):</source>
        <translation>Cỡ chữ (pt):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="131"/>
        <source>Lowest acceptable dpi:</source>
        <translation>Độ phân giải tối thiểu (dpi):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="132"/>
        <source>Largest acceptable skew (°):</source>
        <translation>Độ nghiêng tối đa (°):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="133"/>
        <source>General</source>
        <translation>Chung</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="192"/>
        <source>Not saved: {0}</source>
        <translation>Chưa lưu: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="199"/>
        <source>The token could not be stored in the keyring: {0}</source>
        <translation>Không lưu được mã truy cập vào kho khóa: {0}</translation>
    </message>
</context>
<context>
    <name>UploadPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="394"/>
        <source>Uploads</source>
        <translation>Gửi hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="410"/>
        <source>Retry selected</source>
        <translation>Gửi lại mục đã chọn</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="411"/>
        <source>Retry all failed</source>
        <translation>Gửi lại tất cả mục lỗi</translation>
    </message>
</context>
</TS>
