# ruff: noqa: E501 - plan lines are as long as real plans write them
"""Small plans written in the forms real plans use (not KH 192), for the parser tests."""

HEADER = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG THÁP
-------
Số: 0156/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Đồng Tháp, ngày 15 tháng 02
năm 2023

KẾ HOẠCH
CẢI CÁCH HÀNH CHÍNH NĂM 2023 CỦA TỈNH ĐỒNG THÁP

Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ; Kế hoạch số 273/KH-UBND ngày 22 tháng 9 năm 2021 của UBND tỉnh;
"""

SIGNATURE = """
Nơi nhận:
- Như trên;
- Lưu: VT.
| KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Dương |
"""

APPENDIX = """PHỤ LỤC
DANH MỤC NHIỆM VỤ
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm |
I | CẢI CÁCH THỂ CHẾ | | | | |
1 | Rà soát văn bản quy phạm pháp luật do tỉnh ban hành | Sở Tư pháp | Các sở, ngành | Quý II/2023 | Báo cáo |
2 | Xây dựng kế hoạch kiểm tra công tác cải cách hành chính | Sở Nội vụ | Sở Tư pháp; Sở Tài chính | Tháng 6/2023 | Kế hoạch |
II | CẢI CÁCH THỦ TỤC HÀNH CHÍNH | | | | |
3 | Báo cáo tình hình kiểm soát thủ tục hành chính | Văn phòng UBND tỉnh | | Định kỳ hằng quý | Báo cáo |
4 | Tuyên truyền cải cách hành chính | Sở Thông tin và Truyền thông | Đài Phát thanh và Truyền hình tỉnh | Thường xuyên | Tin, bài |
5 | Số hóa hồ sơ thủ tục hành chính | Sở Khoa học và Công nghệ, Sở Nội vụ | | trước 30/9/2023 | Dữ liệu |
"""

GIAO = """II. NHIỆM VỤ CỤ THỂ
1. Giao Sở Nội vụ, trước ngày 15/8/2023, tổng hợp kết quả Chỉ số cải cách hành chính năm 2022, báo cáo UBND tỉnh.
2. Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ, Công an tỉnh rà soát quy định về thủ tục hành chính, hoàn thành trong Quý III/2023.
3. Giao Văn phòng UBND tỉnh, các Sở: Tài chính, Thông tin và Truyền thông, Tư pháp tham mưu cơ chế tài chính cho dịch vụ công trực tuyến, hoàn thành trước 31/12/2023.
4. Giao UBND các huyện Cao Lãnh, Tháp Mười triển khai mô hình một cửa hiện đại, hoàn thành tháng 10.2023.
5. Giao Sở Y tế, quý 3 năm 2023, hoàn thành đề án sắp xếp đơn vị sự nghiệp.
"""

BLOCKS = """III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
- Là cơ quan thường trực, theo dõi, đôn đốc các cơ quan thực hiện Kế hoạch.
- Tổng hợp, báo cáo UBND tỉnh kết quả thực hiện Kế hoạch định kỳ hằng quý.
- Phấn đấu hoàn thành nhiệm vụ năm 2023, góp phần hoàn thành thắng lợi kế hoạch phát triển kinh tế - xã hội năm 2023.
2. Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính:
- Tham mưu phân bổ vốn đầu tư công (hoàn thành trong 6 tháng đầu năm 2023).
- Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ (thường xuyên).
3. Các sở, ban, ngành; UBND các huyện, thành phố:
- Xây dựng kế hoạch cải cách hành chính của đơn vị, hoàn thành trước 31/01/2023.
- Chủ động triển khai các nhiệm vụ được giao.
4. Sở Xây dựng tổ chức hội nghị tập huấn trước 16h00 ngày 20/11/2023.
"""

PLAN = HEADER + GIAO + BLOCKS + SIGNATURE + APPENDIX
